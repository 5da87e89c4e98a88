namespace AgentRefine.Diagnostics;

/// <summary>What the library's telemetry may contain.</summary>
public sealed class TelemetryOptions
{
    /// <summary>
    /// Whether model-call spans may carry prompt and response text (M.E.AI's
    /// <c>OpenTelemetryChatClient.EnableSensitiveData</c>). Default <see langword="false"/>: spans carry
    /// models, token counts, finish reasons and timings only. Prompts hold personas and scripts, which
    /// may be private data; turn this on only where traces are stored as safely as the data.
    /// </summary>
    public bool EnableSensitiveData { get; set; }
}
