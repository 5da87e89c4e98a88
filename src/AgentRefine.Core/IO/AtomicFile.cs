using System.Security.Cryptography;
using System.Text;

namespace AgentRefine.IO;

/// <summary>
/// An output file that appears at its final path only when it is complete. Everything is written to a
/// hidden temporary file beside the target (same folder, so the final rename never crosses a file
/// system); <see cref="CommitAsync"/> flushes it to disk and renames it over the target in one step.
/// Disposing without a commit (a failure, a cancellation) deletes the temporary file and leaves the
/// target exactly as it was: absent, or its previous version. A reader of the target therefore sees
/// either the old file or the whole new one, never a half-written one.
/// </summary>
/// <remarks>
/// When the target is a symbolic link, the file it points to is replaced and the link is kept.
/// When the target exists, the new file gets its Unix permissions (on Linux and macOS). A process
/// killed before the commit (<c>kill -9</c>, power loss) can leave the hidden temporary file
/// (<c>.&lt;name&gt;.&lt;random&gt;.tmp</c>) behind, never a partial target.
/// </remarks>
public sealed class AtomicFile : IAsyncDisposable, IDisposable
{
    private const int BufferSize = 1 << 16;
    private readonly FileStream _stream;
    private bool _committed;
    private bool _disposed;

    private AtomicFile(string path, string temporaryPath, FileStream stream)
    {
        Path = path;
        TemporaryPath = temporaryPath;
        _stream = stream;
    }

    /// <summary>The target: where the file appears on <see cref="CommitAsync"/> (a symbolic link's final target).</summary>
    public string Path { get; }

    /// <summary>The temporary file written until the commit, in the target's folder.</summary>
    public string TemporaryPath { get; }

    /// <summary>Whether <see cref="CommitAsync"/> completed.</summary>
    public bool IsCommitted => _committed;

    /// <summary>The stream to write the content to (buffered; do not dispose it, dispose the <see cref="AtomicFile"/>).</summary>
    /// <exception cref="ObjectDisposedException">The file was committed or disposed.</exception>
    public Stream Stream
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed || _committed, this);
            return _stream;
        }
    }

    /// <summary>Starts a new output file for <paramref name="path"/>: creates its temporary file, touching nothing else.</summary>
    /// <param name="path">The target path.</param>
    /// <returns>The open file; commit it, then dispose it.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or white space.</exception>
    /// <exception cref="IOException">The target is a directory, or its folder does not exist (the message names it), or the temporary file cannot be created.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder cannot be written.</exception>
    public static AtomicFile Create(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var target = FinalTarget(System.IO.Path.GetFullPath(path));
        if (Directory.Exists(target))
        {
            throw new IOException($"'{target}' is a directory, not a file.");
        }

        var folder = System.IO.Path.GetDirectoryName(target)!;
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"cannot write '{target}': the folder '{folder}' does not exist.");
        }

        var name = System.IO.Path.GetFileName(target);
        for (var attempt = 0; ; attempt++)
        {
            var temporary = System.IO.Path.Combine(folder, $".{name}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.tmp");
            try
            {
                var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous);
                return new AtomicFile(target, temporary, stream);
            }
            catch (IOException) when (attempt < 3 && File.Exists(temporary))
            {
                // A name collision (48 random bits): try another name.
            }
        }
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8 (no byte order mark) to <paramref name="path"/> atomically.</summary>
    /// <param name="path">The target path.</param>
    /// <param name="text">The content.</param>
    /// <param name="cancellationToken">Cancels the write; the target is then left as it was.</param>
    /// <returns>A task that completes when the file is in place.</returns>
    /// <exception cref="IOException">See <see cref="Create"/>; or the write or rename failed (the target is left as it was).</exception>
    /// <exception cref="OperationCanceledException">The write was cancelled (the target is left as it was).</exception>
    public static async Task WriteAllTextAsync(string path, string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        var file = Create(path);
        await using (file.ConfigureAwait(false))
        {
            await file.Stream.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken).ConfigureAwait(false);
            await file.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Flushes the content to disk and renames the temporary file over the target. After this the
    /// target holds the new content; the stream is closed.
    /// </summary>
    /// <param name="cancellationToken">Cancels the flush (checked before the rename, never after it).</param>
    /// <returns>A task that completes when the file is in place.</returns>
    /// <exception cref="ObjectDisposedException">The file was already committed or disposed.</exception>
    /// <exception cref="IOException">The flush or the rename failed; the target is left as it was.</exception>
    /// <exception cref="OperationCanceledException">Cancelled before the rename; the target is left as it was.</exception>
    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed || _committed, this);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        _stream.Flush(flushToDisk: true);
        CopyPermissions();
        await _stream.DisposeAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        File.Move(TemporaryPath, Path, overwrite: true);
        _committed = true;
    }

    /// <summary>
    /// Flushes the content to disk without renaming, so that a later <see cref="CommitAsync"/> is only the
    /// rename: <see cref="AtomicFileSet"/> prepares every file of a set before it renames any.
    /// </summary>
    /// <param name="cancellationToken">Cancels the flush.</param>
    /// <returns>A task that completes when the content is on disk.</returns>
    internal async Task PrepareAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed || _committed, this);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        _stream.Flush(flushToDisk: true);
    }

    /// <summary>Closes the file; without a commit, deletes the temporary file and leaves the target as it was.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stream.Dispose();
        DeleteTemporary();
    }

    /// <summary>Closes the file; without a commit, deletes the temporary file and leaves the target as it was.</summary>
    /// <returns>A task that completes when the file is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _stream.DisposeAsync().ConfigureAwait(false);
        DeleteTemporary();
    }

    private void DeleteTemporary()
    {
        if (_committed)
        {
            return;
        }

        try
        {
            File.Delete(TemporaryPath);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Best effort: the target is untouched either way.
        }
    }

    private void CopyPermissions()
    {
        if (OperatingSystem.IsWindows() || !File.Exists(Path))
        {
            return;
        }

        try
        {
            File.SetUnixFileMode(TemporaryPath, File.GetUnixFileMode(Path));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The default permissions are kept.
        }
    }

    /// <summary>The file a chain of symbolic links ends at (the path itself when it is not a link).</summary>
    private static string FinalTarget(string path)
    {
        try
        {
            return File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path;
        }
        catch (IOException)
        {
            // A link loop: let the write fail with the system's message.
            return path;
        }
    }
}
