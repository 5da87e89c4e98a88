using AgentRefine.Scoring;

namespace AgentRefine.Cli.Commands;

/// <summary>
/// The scored episodes of a run kept on disk instead of in memory, for the <c>episodes</c> array of a
/// JSON report, which follows the aggregates and so can only be written once every episode is read.
/// Holds only what the report prints (run, task, id, success, progress, grounding, score changes), in
/// a temporary file that is deleted when the spool is disposed.
/// </summary>
internal sealed class EpisodeScoreSpool : IDisposable
{
    private readonly FileStream _stream;
    private readonly BinaryWriter _writer;

    private EpisodeScoreSpool(FileStream stream)
    {
        _stream = stream;
        _writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
    }

    /// <summary>Scored episodes added.</summary>
    public long Count { get; private set; }

    /// <summary>Creates an empty spool in the temporary folder.</summary>
    public static EpisodeScoreSpool Create()
    {
        var path = Path.Combine(Path.GetTempPath(), $"agentrefine-score-{Guid.NewGuid():N}.spool");
        return new EpisodeScoreSpool(new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose));
    }

    /// <summary>Appends a score; unscored episodes are skipped (the report leaves them out).</summary>
    public void Add(EpisodeScore score)
    {
        if (!score.IsScored)
        {
            return;
        }

        _writer.Write(score.Run);
        _writer.Write(score.Task);
        _writer.Write(score.Id);
        _writer.Write(score.Success);
        _writer.Write(score.Progress);
        _writer.Write(score.Grounding);
        _writer.Write(score.ScoreChangeRecord.Count);
        foreach (var change in score.ScoreChangeRecord)
        {
            _writer.Write(change.Step);
            _writer.Write(change.Progress);
        }

        Count++;
    }

    /// <summary>Reads the scores back in the order they were added (one pass; call once, after the last <see cref="Add"/>).</summary>
    public IAsyncEnumerable<EpisodeScore> ReadAsync(CancellationToken cancellationToken) => Read(cancellationToken).ToAsyncEnumerable();

    private IEnumerable<EpisodeScore> Read(CancellationToken cancellationToken)
    {
        _writer.Flush();
        _stream.Position = 0;
        using var reader = new BinaryReader(_stream, System.Text.Encoding.UTF8, leaveOpen: true);
        for (long i = 0; i < Count; i++)
        {
            if ((i & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var run = reader.ReadString();
            var task = reader.ReadString();
            var id = reader.ReadInt64();
            var success = reader.ReadBoolean();
            var progress = reader.ReadDouble();
            var grounding = reader.ReadDouble();
            var changes = new ProgressChange[reader.ReadInt32()];
            for (var c = 0; c < changes.Length; c++)
            {
                changes[c] = new ProgressChange(reader.ReadInt32(), reader.ReadDouble());
            }

            yield return new EpisodeScore { Run = run, Task = task, Id = id, Success = success, Progress = progress, Grounding = grounding, ScoreChangeRecord = changes };
        }
    }

    /// <summary>Deletes the temporary file.</summary>
    public void Dispose()
    {
        _writer.Dispose();
        _stream.Dispose();
    }
}
