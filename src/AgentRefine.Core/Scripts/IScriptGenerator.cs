namespace AgentRefine.Scripts;

/// <summary>Writes a script for a persona (one LLM call per request).</summary>
public interface IScriptGenerator
{
    /// <summary>The version of the prompt, recorded in each record's provenance.</summary>
    string PromptVersion { get; }

    /// <summary>Generates a script.</summary>
    /// <param name="request">The persona, attempt, and the failed previous attempt with its verdict, if any.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The generation; a reply that is not a script is returned as such (its read result says why), not thrown.</returns>
    Task<ScriptGeneration> GenerateAsync(ScriptGenerationRequest request, CancellationToken cancellationToken = default);
}
