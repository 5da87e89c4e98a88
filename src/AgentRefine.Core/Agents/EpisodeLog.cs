using System.Text;
using AgentRefine.Json;
using AgentRefine.Scoring;

namespace AgentRefine.Agents;

/// <summary>
/// The episodes output of an evaluation: JSON Lines in the scoring contract, appended one whole line
/// per finished episode (flushed at once, so a killed run loses at most the line being written). On
/// open, every line already there is read: its (run, task, id) is remembered so the episode is
/// skipped, a torn last line (no line break and not an episode) is cut off, and any other line that is
/// not an episode stops the run with <c>file:line</c> (the file is not an episodes file: nothing is appended to it).
/// </summary>
internal sealed class EpisodeLog : IAsyncDisposable
{
    private readonly FileStream _stream;
    private readonly HashSet<(string Run, string Task, long Id)> _keys;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _needsLineBreak;

    private EpisodeLog(FileStream stream, HashSet<(string, string, long)> keys, bool needsLineBreak, int torn)
    {
        _stream = stream;
        _keys = keys;
        _needsLineBreak = needsLineBreak;
        TornLinesRemoved = torn;
    }

    public int TornLinesRemoved { get; }

    public int ExistingEpisodes => _keys.Count;

    public static async Task<EpisodeLog> OpenAsync(string path, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        var name = Path.GetFileName(full);
        var stream = new FileStream(full, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1 << 16, useAsync: true);
        try
        {
            var keys = new HashSet<(string, string, long)>();
            long lastLineEnd = 0;
            var tailIsEpisode = false;
            var tail = false;
            await Utf8LineReader.ReadAsync(
                stream,
                (line, number, endOffset, terminated) =>
                {
                    var blank = line.Trim(" \t\r"u8).IsEmpty;
                    if (blank)
                    {
                        lastLineEnd = endOffset;
                        return;
                    }

                    if (!terminated)
                    {
                        tail = true;
                        try
                        {
                            var last = EpisodeReader.Parse(line, $"{name}:{number}");
                            keys.Add((last.Run, last.Task, last.Id));
                            tailIsEpisode = true;
                            lastLineEnd = endOffset;
                        }
                        catch (InvalidDataException)
                        {
                            // A line cut off by a killed run: removed below; its episode runs again.
                        }

                        return;
                    }

                    var episode = EpisodeReader.Parse(line, $"{name}:{number}");
                    keys.Add((episode.Run, episode.Task, episode.Id));
                    lastLineEnd = endOffset;
                },
                cancellationToken).ConfigureAwait(false);
            var torn = 0;
            if (lastLineEnd < stream.Length)
            {
                stream.SetLength(lastLineEnd);
                torn = 1;
            }

            stream.Seek(0, SeekOrigin.End);
            return new EpisodeLog(stream, keys, tail && tailIsEpisode, torn);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public bool Contains(string run, string task, long id)
    {
        lock (_keys)
        {
            return _keys.Contains((run, task, id));
        }
    }

    /// <summary>Appends one episode as a whole line; never cancelled half-way (a torn line is worse than a late one).</summary>
    public async Task AppendAsync(Episode episode)
    {
        var bytes = Encoding.UTF8.GetBytes(episode.ToJson() + "\n");
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (_needsLineBreak)
            {
                await _stream.WriteAsync("\n"u8.ToArray(), CancellationToken.None).ConfigureAwait(false);
                _needsLineBreak = false;
            }

            await _stream.WriteAsync(bytes, CancellationToken.None).ConfigureAwait(false);
            await _stream.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            lock (_keys)
            {
                _keys.Add((episode.Run, episode.Task, episode.Id));
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync().ConfigureAwait(false);
        _gate.Dispose();
    }
}
