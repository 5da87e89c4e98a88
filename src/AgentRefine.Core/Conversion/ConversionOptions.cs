namespace AgentRefine.Conversion;

/// <summary>Settings of <see cref="RefinementTuningConverter"/> (in a host: <c>AgentRefineOptions.Conversion</c>).</summary>
public sealed class ConversionOptions
{
    /// <summary>How mistaken turns are treated. Default <see cref="ConversionMode.MaskErroneous"/> (the paper).</summary>
    public ConversionMode Mode { get; set; } = ConversionMode.MaskErroneous;

    /// <summary>The first user message's template (see <see cref="FirstMessageTemplate"/>); the default template when <see langword="null"/>.</summary>
    public string? PromptTemplate { get; set; }

    /// <summary>A system message to put first; none when <see langword="null"/>.</summary>
    public string? SystemPrompt { get; set; }

    /// <summary>Stop at the first record that cannot be converted instead of skipping and counting it. Default <see langword="false"/>.</summary>
    public bool StopOnFirstSkip { get; set; }

    /// <summary>
    /// The fewest error-refine turns every record must have, whatever its provenance says (CLI
    /// <c>--min-error-refine</c>). Default <see langword="null"/>: each record is verified under the
    /// settings it was accepted under (<c>provenance.verifier</c>), or the verifier factory's defaults
    /// when it names none. Applies to a converter built on an <c>IVerifierFactory</c>.
    /// </summary>
    public int? MinErrorRefineTurns { get; set; }

    /// <summary>
    /// How many workers parse, verify again, convert and serialize the records when <see cref="DatasetConversion"/>
    /// reads a records file or stream (one reader splits the lines, one writer writes the rows in input order).
    /// The dataset's bytes, the statistics and the errors are the same whatever the value. Default
    /// <see langword="null"/>: <see cref="Environment.ProcessorCount"/>. 1: one record after another, on the
    /// caller's flow. Above 1 the converter's verifier (or verifier factory) is called from several threads at
    /// once: the built-in ones are thread-safe; set 1 for one that is not.
    /// </summary>
    public int? MaxDegreeOfParallelism { get; set; }

    /// <summary>The workers <see cref="DatasetConversion"/> uses: <see cref="MaxDegreeOfParallelism"/>, else <see cref="Environment.ProcessorCount"/>.</summary>
    internal int DegreeOfParallelism => MaxDegreeOfParallelism ?? Environment.ProcessorCount;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (MaxDegreeOfParallelism is { } degree)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(degree, 1, nameof(MaxDegreeOfParallelism));
        }

        if (MinErrorRefineTurns is { } minimum)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(minimum, nameof(MinErrorRefineTurns));
        }

        if (!Enum.IsDefined(Mode))
        {
            throw new ArgumentOutOfRangeException(nameof(Mode), Mode, "Unknown conversion mode.");
        }
    }
}
