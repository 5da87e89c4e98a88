namespace AgentRefine.IO;

/// <summary>
/// Output files that belong together (a dataset, its eval file, the configuration beside them): each is
/// written completely to its own <see cref="AtomicFile"/>, then <see cref="CommitAllAsync"/> flushes every
/// one to disk before it renames any, so everything that can fail or be cancelled happens while every
/// target is still as it was. Only the renames, one after another, remain after that point. Disposing the
/// set without a commit deletes every temporary file.
/// </summary>
internal sealed class AtomicFileSet : IAsyncDisposable, IDisposable
{
    private readonly List<AtomicFile> _files = [];

    /// <summary>The files, in the order they are renamed into place.</summary>
    public IReadOnlyList<AtomicFile> Files => _files;

    /// <summary>Starts a file of the set (see <see cref="AtomicFile.Create"/>).</summary>
    /// <param name="path">The target path.</param>
    /// <returns>The open file; write to its stream, do not commit or dispose it.</returns>
    public AtomicFile Create(string path)
    {
        var file = AtomicFile.Create(path);
        _files.Add(file);
        return file;
    }

    /// <summary>Adds <paramref name="text"/> (UTF-8, no byte order mark) to the set as the content of <paramref name="path"/>.</summary>
    /// <param name="path">The target path.</param>
    /// <param name="text">The content.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the content is written to the temporary file.</returns>
    public async Task WriteAllTextAsync(string path, string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        var file = Create(path);
        await file.Stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(text), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Flushes every file to disk, then renames each into place in order (cancellation is honoured until the first rename).</summary>
    /// <param name="cancellationToken">Cancels the flushes.</param>
    /// <returns>A task that completes when every file is in place.</returns>
    public async Task CommitAllAsync(CancellationToken cancellationToken)
    {
        foreach (var file in _files)
        {
            await file.PrepareAsync(cancellationToken).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        foreach (var file in _files)
        {
            // Past the first rename, stopping half-way would leave a mixed set: finish the renames.
            await file.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var file in _files)
        {
            file.Dispose();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var file in _files)
        {
            await file.DisposeAsync().ConfigureAwait(false);
        }
    }
}
