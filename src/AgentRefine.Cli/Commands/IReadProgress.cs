namespace AgentRefine.Cli.Commands;

/// <summary>Receives how far a long read has got.</summary>
internal interface IReadProgress
{
    /// <summary>Reports the bytes read so far and the records (episodes, lines) taken from them.</summary>
    void Report(long bytesRead, long records);
}
