using AgentRefine.Llm;

namespace AgentRefine.Synthesis;

/// <summary>Settings of a synthesis run. Defaults follow the paper where it has a number.</summary>
public sealed class SynthesisOptions
{
    /// <summary>The most LLM generations one persona may use, script generations included (the paper's 4). Transport retries do not count. Default 4.</summary>
    public int MaxLlmCallsPerPersona { get; set; } = 4;

    /// <summary>How many personas are in flight at once. Default 8.</summary>
    public int MaxConcurrency { get; set; } = 8;

    /// <summary>The run's seed: part of every record id (so the same persona under another seed is another record) and recorded in provenance. Default <see langword="null"/>.</summary>
    public int? Seed { get; set; }

    /// <summary>Sampling settings of the script writer.</summary>
    public GenerationOptions Script { get; set; } = new();

    /// <summary>Sampling settings of the trajectory simulator. Its default output budget is 8,192 tokens.</summary>
    public GenerationOptions Trajectory { get; set; } = new() { MaxOutputTokens = 8_192 };

    /// <summary>Retries, timeout and rate limits wrapped around the chat clients by <c>AddAgentRefine</c>; <see langword="null"/> to use the clients as they are.</summary>
    public LlmResilienceOptions? Resilience { get; set; } = new();

    /// <summary>A folder for the on-disk response cache (<see cref="ResponseCacheChatClient"/>); no cache when <see langword="null"/>.</summary>
    public string? CacheDirectory { get; set; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxLlmCallsPerPersona, 2, nameof(MaxLlmCallsPerPersona));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrency, 1, nameof(MaxConcurrency));
        ArgumentNullException.ThrowIfNull(Script, nameof(Script));
        ArgumentNullException.ThrowIfNull(Trajectory, nameof(Trajectory));
        Resilience?.Validate();
    }
}
