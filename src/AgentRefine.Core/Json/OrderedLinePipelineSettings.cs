namespace AgentRefine.Json;

/// <summary>How <see cref="OrderedLinePipeline"/> cuts a stream into batches and how many it works on at once.</summary>
internal sealed record OrderedLinePipelineSettings
{
    /// <summary>Workers processing batches; 1 processes each batch on the reading thread, between reads (no worker, no hand-off).</summary>
    public int DegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Bytes read from the stream at a time. Default 64 KiB.</summary>
    public int ReadBufferSize { get; init; } = 1 << 16;

    /// <summary>A batch is handed out once it holds this many bytes of lines (or <see cref="MaxBatchLines"/> lines), checked after each read. Default 64 KiB.</summary>
    public int BatchBytes { get; init; } = 1 << 16;

    /// <summary>A batch is handed out once it holds this many lines, checked after each read. Default 1,024.</summary>
    public int MaxBatchLines { get; init; } = 1_024;

    /// <summary>Batches that exist at once (being filled, processed, or waiting for their turn to be committed): the bound on memory. Default 4 per worker, at least 4.</summary>
    public int? BatchesInFlight { get; init; }

    /// <summary>Lines longer than this are kept without their bytes (the work reports them from their length). Default: no limit.</summary>
    public long MaxLineBytes { get; init; } = long.MaxValue;

    /// <summary>The batches in flight.</summary>
    internal int Slots => BatchesInFlight ?? Math.Max(4, 4 * DegreeOfParallelism);
}
