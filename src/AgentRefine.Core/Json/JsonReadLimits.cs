namespace AgentRefine.Json;

/// <summary>
/// Bounds on what the tolerant readers accept from a model or a file. Model output is untrusted
/// input: anything past these limits is reported as a read error with the limit named, never read.
/// </summary>
public sealed class JsonReadLimits
{
    /// <summary>A new instance holding the default limits.</summary>
    public static JsonReadLimits Default => new();

    /// <summary>The default limits, shared by the readers when none are given (never handed out).</summary>
    internal static JsonReadLimits Shared { get; } = new();

    /// <summary>Largest text accepted, in UTF-16 characters. Default 4,000,000.</summary>
    public int MaxInputChars { get; set; } = 4_000_000;

    /// <summary>Deepest JSON nesting accepted. Default 64.</summary>
    public int MaxDepth { get; set; } = 64;

    /// <summary>Most turns read from one trajectory; the turns past it are cut off as a break. Default 512.</summary>
    public int MaxTurns { get; set; } = 512;

    /// <summary>Most actions accepted in one script's <c>Available Actions</c>. Default 256.</summary>
    public int MaxActions { get; set; } = 256;

    /// <summary>Most values accepted for one placeholder of one action. Default 1,000.</summary>
    public int MaxValuesPerParameter { get; set; } = 1_000;

    /// <summary>The error for a text longer than <see cref="MaxInputChars"/>; <see langword="null"/> when it fits.</summary>
    internal string? InputLengthError(string text) => text.Length > MaxInputChars
        ? $"the text is {text.Length:N0} characters long, over the limit of {MaxInputChars:N0} (JsonReadLimits.MaxInputChars)"
        : null;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first limit that is not positive.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxInputChars, 1, nameof(MaxInputChars));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDepth, 1, nameof(MaxDepth));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxTurns, 1, nameof(MaxTurns));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxActions, 1, nameof(MaxActions));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxValuesPerParameter, 1, nameof(MaxValuesPerParameter));
    }
}
