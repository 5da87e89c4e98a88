using AgentRefine.Json;
using System.Text;
using System.Text.Json;

namespace AgentRefine.Synthesis;

/// <summary>
/// Stores records as JSON Lines: accepted records in one file, rejected ones in another (or the same
/// file). Each record is one whole line, written with a single write and flushed to the operating
/// system before <see cref="AppendAsync"/> returns, so a killed process loses at most the line being
/// written; with <see cref="JsonlRecordStoreOptions.FlushToDisk"/> each line is also on the storage
/// device before <see cref="AppendAsync"/> returns, so a power loss loses no stored record. On open,
/// existing ids are read from both files; a torn last line (no line break at the end) is cut off, so
/// its persona is redone and never duplicated; whole lines that are not records are kept and reported
/// in <see cref="UnreadableLines"/>. A UTF-8 byte order mark at the start of a file is accepted (and kept).
/// </summary>
public sealed class JsonlRecordStore : ISynthesisRecordStore, IAsyncDisposable, IDisposable
{
    private readonly HashSet<string> _ids;
    private readonly FileStream _accepted;
    private readonly FileStream? _rejected;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly bool _flushToDisk;

    private JsonlRecordStore(FileStream accepted, FileStream? rejected, HashSet<string> ids, int tornLines, int unreadableLines, bool flushToDisk)
    {
        _accepted = accepted;
        _rejected = rejected;
        _ids = ids;
        _flushToDisk = flushToDisk;
        TornLinesRemoved = tornLines;
        UnreadableLines = unreadableLines;
    }

    /// <summary>How many records the files held when opened.</summary>
    public int ExistingRecords { get; private set; }

    /// <summary>How many torn last lines were cut off when opening (0, 1 or 2).</summary>
    public int TornLinesRemoved { get; }

    /// <summary>How many whole lines could not be read as records (kept as they are).</summary>
    public int UnreadableLines { get; }

    /// <summary>Opens (or creates) the files.</summary>
    /// <param name="acceptedPath">The file of accepted records.</param>
    /// <param name="rejectedPath">The file of rejected records; the accepted file when <see langword="null"/> or the same path.</param>
    /// <param name="cancellationToken">Cancels the scan of existing records.</param>
    /// <returns>The store.</returns>
    /// <exception cref="IOException">A file cannot be opened or read.</exception>
    /// <exception cref="UnauthorizedAccessException">A file may not be written (or a path is a directory).</exception>
    public static Task<JsonlRecordStore> OpenAsync(string acceptedPath, string? rejectedPath = null, CancellationToken cancellationToken = default) =>
        OpenAsync(acceptedPath, rejectedPath, new JsonlRecordStoreOptions(), cancellationToken);

    /// <summary>Opens (or creates) the files, with settings.</summary>
    /// <param name="acceptedPath">The file of accepted records.</param>
    /// <param name="rejectedPath">The file of rejected records; the accepted file when <see langword="null"/> or the same path.</param>
    /// <param name="options">The settings (whether each record is flushed to disk); read once, now.</param>
    /// <param name="cancellationToken">Cancels the scan of existing records.</param>
    /// <returns>The store.</returns>
    /// <exception cref="IOException">A file cannot be opened or read.</exception>
    /// <exception cref="UnauthorizedAccessException">A file may not be written (or a path is a directory).</exception>
    public static async Task<JsonlRecordStore> OpenAsync(string acceptedPath, string? rejectedPath, JsonlRecordStoreOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(acceptedPath);
        ArgumentNullException.ThrowIfNull(options);
        var flushToDisk = options.FlushToDisk;
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var acceptedFull = Path.GetFullPath(acceptedPath);
        var rejectedFull = rejectedPath is null ? acceptedFull : Path.GetFullPath(rejectedPath);
        var separate = !string.Equals(acceptedFull, rejectedFull, StringComparison.Ordinal);
        var accepted = await OpenFileAsync(acceptedFull, ids, flushToDisk, cancellationToken).ConfigureAwait(false);
        (FileStream Stream, int Torn, int Unreadable, int Records)? rejected = null;
        try
        {
            if (separate)
            {
                rejected = await OpenFileAsync(rejectedFull, ids, flushToDisk, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            await accepted.Stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new JsonlRecordStore(accepted.Stream, rejected?.Stream, ids, accepted.Torn + (rejected?.Torn ?? 0), accepted.Unreadable + (rejected?.Unreadable ?? 0), flushToDisk)
        {
            ExistingRecords = accepted.Records + (rejected?.Records ?? 0),
        };
    }

    /// <inheritdoc />
    public bool Contains(string id)
    {
        lock (_ids)
        {
            return _ids.Contains(id);
        }
    }

    /// <inheritdoc />
    public async ValueTask AppendAsync(SynthesisRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var bytes = Encoding.UTF8.GetBytes(record.ToJsonLine() + "\n");
        var stream = record.Status == SynthesisStatus.Rejected && _rejected is not null ? _rejected : _accepted;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            lock (_ids)
            {
                if (!_ids.Add(record.Id))
                {
                    return;
                }
            }

            await stream.WriteAsync(bytes, CancellationToken.None).ConfigureAwait(false);
            await stream.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            if (_flushToDisk)
            {
                // There is no asynchronous fsync; the gate keeps one record at a time on the device.
                stream.Flush(flushToDisk: true);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _accepted.DisposeAsync().ConfigureAwait(false);
        if (_rejected is not null)
        {
            await _rejected.DisposeAsync().ConfigureAwait(false);
        }

        _gate.Dispose();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _accepted.Dispose();
        _rejected?.Dispose();
        _gate.Dispose();
    }

    /// <summary>Reads the top-level <c>id</c> of a record line, or <see langword="null"/>.</summary>
    /// <param name="line">The line's UTF-8 bytes.</param>
    /// <returns>The id.</returns>
    public static string? ReadId(ReadOnlySpan<byte> line)
    {
        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isId = reader.ValueTextEquals("id"u8);
                reader.Read();
                if (isId)
                {
                    return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }

                reader.Skip();
            }

            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<(FileStream Stream, int Torn, int Unreadable, int Records)> OpenFileAsync(string path, HashSet<string> ids, bool flushToDisk, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1 << 16, useAsync: true);
        try
        {
            var (lastGoodEnd, unreadable, records) = await ScanAsync(stream, ids, cancellationToken).ConfigureAwait(false);
            var torn = 0;
            if (lastGoodEnd < stream.Length)
            {
                stream.SetLength(lastGoodEnd);
                torn = 1;
                if (flushToDisk)
                {
                    stream.Flush(flushToDisk: true);
                }
            }

            stream.Seek(0, SeekOrigin.End);
            return (stream, torn, unreadable, records);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Reads every whole line, collecting ids; returns the offset just after the last line break.</summary>
    private static async Task<(long LastLineEnd, int Unreadable, int Records)> ScanAsync(FileStream stream, HashSet<string> ids, CancellationToken cancellationToken)
    {
        long lastLineEnd = 0;
        var unreadable = 0;
        var records = 0;
        await Utf8LineReader.ReadAsync(
            stream,
            (line, _, endOffset, terminated) =>
            {
                var blank = line.Trim(" \t"u8).IsEmpty;
                if (!terminated)
                {
                    // A blank tail (a file holding only a byte order mark, say) tears nothing: keep it.
                    if (blank)
                    {
                        lastLineEnd = endOffset;
                    }

                    return;
                }

                lastLineEnd = endOffset;
                if (blank)
                {
                    return;
                }

                if (ReadId(line) is { } id)
                {
                    ids.Add(id);
                    records++;
                }
                else
                {
                    unreadable++;
                }
            },
            cancellationToken).ConfigureAwait(false);
        return (lastLineEnd, unreadable, records);
    }
}
