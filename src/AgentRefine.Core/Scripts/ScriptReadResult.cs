namespace AgentRefine.Scripts;

/// <summary>What <see cref="ScriptReader"/> made of a text: a script, or the reason there is none.</summary>
public sealed class ScriptReadResult
{
    private ScriptReadResult(Script? script, string? error)
    {
        Script = script;
        Error = error;
    }

    /// <summary>The script, or <see langword="null"/> when the text held no JSON object within the limits.</summary>
    public Script? Script { get; }

    /// <summary>Why there is no script (names the line and the limit where it applies); <see langword="null"/> on success.</summary>
    public string? Error { get; }

    /// <summary>A result holding <paramref name="script"/>.</summary>
    /// <param name="script">The script.</param>
    /// <returns>The result.</returns>
    public static ScriptReadResult FromScript(Script script)
    {
        ArgumentNullException.ThrowIfNull(script);
        return new ScriptReadResult(script, null);
    }

    /// <summary>A result holding no script, for the reason given.</summary>
    /// <param name="error">The reason.</param>
    /// <returns>The result.</returns>
    public static ScriptReadResult Failed(string error)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(error);
        return new ScriptReadResult(null, error);
    }
}
