namespace AgentRefine.Synthesis;

/// <summary>Settings of <see cref="JsonlRecordStore"/>.</summary>
public sealed class JsonlRecordStoreOptions
{
    /// <summary>
    /// Gets or sets whether each record is flushed through to the storage device
    /// (<see cref="FileStream.Flush(bool)"/> with <c>flushToDisk: true</c>: <c>fsync</c> on Linux and macOS,
    /// <c>FlushFileBuffers</c> on Windows) before <see cref="JsonlRecordStore.AppendAsync"/> returns, so a
    /// stored record survives a power loss or an operating system crash, not only a killed process.
    /// Each record then waits for the device, which costs throughput (see <c>docs/performance.md</c>);
    /// a run bound by model latency hardly notices it.
    /// </summary>
    /// <value>
    /// <see langword="false"/> (the default): each record is handed to the operating system before
    /// <see cref="JsonlRecordStore.AppendAsync"/> returns. That survives <c>kill -9</c> and a crash of the
    /// process; records the operating system had not yet written out can be lost when the machine loses power.
    /// </value>
    public bool FlushToDisk { get; set; }
}
