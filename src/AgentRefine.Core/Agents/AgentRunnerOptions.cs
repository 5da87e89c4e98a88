using AgentRefine.Scoring;

namespace AgentRefine.Agents;

/// <summary>Settings of the agent runner (<see cref="AgentRunner"/>) and of an evaluation run (<see cref="EvaluationRun"/>).</summary>
public sealed class AgentRunnerOptions
{
    /// <summary>The default step limit (AgentBoard's).</summary>
    public const int DefaultMaxSteps = 30;

    /// <summary>New tokens per reply for the <see cref="AgentPromptLayout.AgentBoard"/> layout when <see cref="MaxOutputTokens"/> is not set (AgentBoard's).</summary>
    public const int AgentBoardMaxOutputTokens = 100;

    /// <summary>New tokens per reply for the <see cref="AgentPromptLayout.React"/> layout when <see cref="MaxOutputTokens"/> is not set.</summary>
    public const int ReactMaxOutputTokens = 512;

    /// <summary>The system message of the <see cref="AgentPromptLayout.AgentBoard"/> layout when neither the environment nor <see cref="SystemPrompt"/> gives one (AgentBoard's default).</summary>
    public const string AgentBoardSystemMessage = "You are a helpful assistant.";

    /// <summary>The most steps per episode. Default <see cref="DefaultMaxSteps"/>.</summary>
    public int MaxSteps { get; set; } = DefaultMaxSteps;

    /// <summary>The prompt layout. Default <see cref="AgentPromptLayout.React"/>.</summary>
    public AgentPromptLayout Layout { get; set; } = AgentPromptLayout.React;

    /// <summary>The model's context length in tokens: while the prompt exceeds this minus the reply's new tokens, the oldest history entry is dropped. Default 8,192.</summary>
    public int ContextLength { get; set; } = 8_192;

    /// <summary>New tokens per reply; <see langword="null"/> for the layout's default (<see cref="ReactMaxOutputTokens"/>, <see cref="AgentBoardMaxOutputTokens"/>).</summary>
    public int? MaxOutputTokens { get; set; }

    /// <summary>The sampling temperature. Default 0 (greedy, as AgentBoard evaluates).</summary>
    public float? Temperature { get; set; } = 0f;

    /// <summary>The model id sent with each request, or <see langword="null"/> for the client's own.</summary>
    public string? ModelId { get; set; }

    /// <summary>
    /// The system message. For <see cref="AgentPromptLayout.React"/>: none by default (as conversion writes
    /// training rows without one unless <c>ConversionOptions.SystemPrompt</c> is set: use the same text).
    /// For <see cref="AgentPromptLayout.AgentBoard"/>: the environment's, else <see cref="AgentBoardSystemMessage"/>, unless this is set.
    /// </summary>
    public string? SystemPrompt { get; set; }

    /// <summary>The first-message template of the <see cref="AgentPromptLayout.React"/> layout (the one conversion used: <c>ConversionOptions.PromptTemplate</c>); <see langword="null"/> for <c>FirstMessageTemplate.Default</c>.</summary>
    public string? PromptTemplate { get; set; }

    /// <summary>The longest reply kept, in characters; the rest is cut off before the action is parsed. Default 16,384.</summary>
    public int MaxReplyCharacters { get; set; } = 16_384;

    /// <summary>Whether each step keeps the agent's raw reply in the episode (<c>reply</c>). Default <see langword="true"/>.</summary>
    public bool KeepReplies { get; set; } = true;

    /// <summary>The run name written into every episode (usually the model). Default <see cref="Episode.DefaultRun"/>.</summary>
    public string Run { get; set; } = Episode.DefaultRun;

    /// <summary>Episodes in flight at once in an <see cref="EvaluationRun"/>. Default 4.</summary>
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>The new tokens per reply that apply: <see cref="MaxOutputTokens"/>, else the layout's default.</summary>
    public int EffectiveMaxOutputTokens => MaxOutputTokens ?? (Layout == AgentPromptLayout.AgentBoard ? AgentBoardMaxOutputTokens : ReactMaxOutputTokens);

    /// <summary>A copy.</summary>
    /// <returns>The copy.</returns>
    public AgentRunnerOptions Clone() => (AgentRunnerOptions)MemberwiseClone();

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it.</exception>
    public void Validate()
    {
        if (MaxSteps < 1)
        {
            throw new ArgumentException($"{nameof(MaxSteps)} must be 1 or more, found {MaxSteps}.", nameof(MaxSteps));
        }

        if (!Enum.IsDefined(Layout))
        {
            throw new ArgumentException($"{nameof(Layout)} is not a known layout: {(int)Layout}.", nameof(Layout));
        }

        if (MaxOutputTokens is < 1)
        {
            throw new ArgumentException($"{nameof(MaxOutputTokens)} must be 1 or more, found {MaxOutputTokens}.", nameof(MaxOutputTokens));
        }

        if (ContextLength <= EffectiveMaxOutputTokens)
        {
            throw new ArgumentException($"{nameof(ContextLength)} ({ContextLength}) must be larger than the reply's new tokens ({EffectiveMaxOutputTokens}).", nameof(ContextLength));
        }

        if (MaxReplyCharacters < 1)
        {
            throw new ArgumentException($"{nameof(MaxReplyCharacters)} must be 1 or more, found {MaxReplyCharacters}.", nameof(MaxReplyCharacters));
        }

        if (MaxConcurrency < 1)
        {
            throw new ArgumentException($"{nameof(MaxConcurrency)} must be 1 or more, found {MaxConcurrency}.", nameof(MaxConcurrency));
        }

        if (string.IsNullOrWhiteSpace(Run))
        {
            throw new ArgumentException($"{nameof(Run)} must name the run.", nameof(Run));
        }

        if (PromptTemplate is not null)
        {
            try
            {
                _ = new Conversion.FirstMessageTemplate(PromptTemplate);
            }
            catch (FormatException exception)
            {
                throw new ArgumentException($"{nameof(PromptTemplate)}: {exception.Message}", nameof(PromptTemplate), exception);
            }
        }
    }
}
