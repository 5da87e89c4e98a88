namespace AgentRefine.Conversion;

/// <summary>What the workers of a conversion made of one batch of lines: an outcome per line and, when the writer's format allows, the rows already serialized.</summary>
internal sealed class ConversionBatch
{
    /// <summary>One outcome per line, in order.</summary>
    public List<ConversionOutcome> Outcomes { get; } = [];

    /// <summary>The rows of the converted records, in order; <see langword="null"/> when the writer serializes them itself.</summary>
    public RenderedRows? Rows { get; init; }
}
