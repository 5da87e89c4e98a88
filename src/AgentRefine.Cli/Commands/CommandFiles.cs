using AgentRefine.IO;

namespace AgentRefine.Cli.Commands;

/// <summary>
/// The files one command invocation reads and writes, checked before anything is opened for writing:
/// every input exists and is a file (or a folder where a folder is expected), every output's folder
/// exists and the output is not a directory, and no output is an input or another output (same file
/// after resolving symbolic links, with the OS's case rules). Outputs are then written through
/// <see cref="AtomicFile"/>, so <see cref="Outcome"/> can say truthfully what a failure or an
/// interruption left behind.
/// </summary>
internal sealed class CommandFiles
{
    private readonly List<(string Option, string Path, string? Within)> _inputs = [];
    private readonly List<OutputFile> _outputs = [];
    private readonly List<string> _problems = [];

    /// <summary>Registers an input file (ignored when <see langword="null"/>).</summary>
    /// <param name="option">The option that named it (<c>--episodes</c>), for messages.</param>
    /// <param name="file">The file.</param>
    /// <returns>This instance.</returns>
    public CommandFiles Input(string option, FileInfo? file)
    {
        if (file is null)
        {
            return this;
        }

        if (File.Exists(file.FullName))
        {
            _inputs.Add((option, file.FullName, null));
        }
        else
        {
            _problems.Add(Directory.Exists(file.FullName) ? $"{option}: '{file.FullName}' is a directory, not a file." : $"{option}: '{file.FullName}' does not exist.");
        }

        return this;
    }

    /// <summary>Registers an input folder and the files read from it (ignored when <see langword="null"/>).</summary>
    /// <param name="option">The option that named it.</param>
    /// <param name="folder">The folder.</param>
    /// <param name="filesRead">The files the command will read in it (called only when the folder exists).</param>
    /// <returns>This instance.</returns>
    public CommandFiles InputFolder(string option, DirectoryInfo? folder, Func<string, IEnumerable<string>> filesRead)
    {
        ArgumentNullException.ThrowIfNull(filesRead);
        if (folder is null)
        {
            return this;
        }

        if (Directory.Exists(folder.FullName))
        {
            try
            {
                _inputs.AddRange(filesRead(folder.FullName).Select(path => (option, path, (string?)Path.GetFileName(path))));
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                _problems.Add($"{option}: cannot list '{folder.FullName}': {exception.Message}");
            }
        }
        else
        {
            _problems.Add(File.Exists(folder.FullName) ? $"{option}: '{folder.FullName}' is a file, not a folder." : $"{option}: '{folder.FullName}' does not exist.");
        }

        return this;
    }

    /// <summary>Registers an output file (ignored when <see langword="null"/>).</summary>
    /// <param name="option">The option that named it (<c>--output</c>, <c>--chart</c>).</param>
    /// <param name="file">The file.</param>
    /// <returns>This instance.</returns>
    public CommandFiles Output(string option, FileInfo? file)
    {
        if (file is null)
        {
            return this;
        }

        var folder = Path.GetDirectoryName(file.FullName);
        if (Directory.Exists(file.FullName))
        {
            _problems.Add($"{option}: '{file.FullName}' is a directory, not a file.");
        }
        else if (folder is null || !Directory.Exists(folder))
        {
            _problems.Add($"{option}: cannot write '{file.FullName}': the folder '{folder}' does not exist.");
        }
        else
        {
            _outputs.Add(new OutputFile(option, file.FullName, File.Exists(file.FullName)));
        }

        return this;
    }

    /// <summary>Whether any output was registered.</summary>
    public bool HasOutputs => _outputs.Count > 0;

    /// <summary>Whether an output was registered under <paramref name="option"/>.</summary>
    public bool HasOutput(string option) => _outputs.Exists(o => o.Option == option);

    /// <summary>The first problem found (without the <c>agentrefine &lt;command&gt;:</c> prefix), or <see langword="null"/> when every file is fine.</summary>
    public string? Problem()
    {
        if (_problems.Count > 0)
        {
            return _problems[0];
        }

        for (var i = 0; i < _outputs.Count; i++)
        {
            var output = _outputs[i];
            foreach (var (option, path, within) in _inputs)
            {
                if (FilePaths.AreSame(output.Path, path))
                {
                    var source = within is null ? option : $"a file read from {option}";
                    return $"{output.Option} is the same file as {source} ('{path}'); refusing to overwrite an input. Choose another {output.Option}.";
                }
            }

            foreach (var other in _outputs.Take(i))
            {
                if (FilePaths.AreSame(output.Path, other.Path))
                {
                    return $"{output.Option} is the same file as {other.Option} ('{output.Path}'); give each output its own file.";
                }
            }
        }

        return null;
    }

    /// <summary>Starts writing the output registered under <paramref name="option"/>: a temporary file beside it, renamed into place on commit.</summary>
    /// <param name="option">The output's option.</param>
    /// <returns>The atomic file; the caller commits and disposes it.</returns>
    public AtomicFile Open(string option)
    {
        var output = _outputs.Find(o => o.Option == option) ?? throw new InvalidOperationException($"No output registered for {option}.");
        output.File = AtomicFile.Create(output.Path);
        return output.File;
    }

    /// <summary>Writes <paramref name="text"/> to the output registered under <paramref name="option"/>, atomically, or to <paramref name="fallback"/> when none is.</summary>
    /// <param name="option">The output's option.</param>
    /// <param name="text">The content (UTF-8, no byte order mark).</param>
    /// <param name="fallback">Where the text goes without that output (standard output), or <see langword="null"/> to write nothing.</param>
    /// <param name="cancellationToken">Cancels the write; the target is then left as it was.</param>
    /// <returns>A task that completes when the file is in place.</returns>
    public async Task WriteAsync(string option, string text, TextWriter? fallback, CancellationToken cancellationToken)
    {
        if (_outputs.Find(o => o.Option == option) is { } output)
        {
            await AtomicFile.WriteAllTextAsync(output.Path, text, cancellationToken).ConfigureAwait(false);
            output.Written = true;
        }
        else
        {
            fallback?.Write(text);
        }
    }

    /// <summary>Streams UTF-8 content to the output registered under <paramref name="option"/>, atomically, or to <paramref name="fallback"/> when none is.</summary>
    /// <param name="option">The output's option.</param>
    /// <param name="write">Writes the content to the stream it is given.</param>
    /// <param name="fallback">Where the content goes without that output (standard output).</param>
    /// <param name="cancellationToken">Cancels the write; the target is then left as it was.</param>
    /// <returns>A task that completes when the file is in place.</returns>
    public async Task WriteAsync(string option, Func<Stream, Task> write, TextWriter fallback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (HasOutput(option))
        {
            var file = Open(option);
            await using (file.ConfigureAwait(false))
            {
                await write(file.Stream).ConfigureAwait(false);
                await file.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            var stream = new TextWriterStream(fallback);
            await using (stream.ConfigureAwait(false))
            {
                await write(stream).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// What happened to the outputs, for a message after a failure or an interruption:
    /// <c>nothing written</c>, <c>nothing written; '/p/report.md' left as it was</c>, or, when some
    /// output was already in place, which ones were written.
    /// </summary>
    public string Outcome()
    {
        var written = _outputs.Where(o => o.IsWritten).Select(o => $"'{o.Path}' written").ToList();
        var kept = _outputs.Where(o => !o.IsWritten && o.Existed).Select(o => $"'{o.Path}' left as it was").ToList();
        return string.Join("; ", (written.Count == 0 ? ["nothing written"] : written).Concat(kept));
    }


    private sealed class OutputFile(string option, string path, bool existed)
    {
        public string Option { get; } = option;

        public string Path { get; } = path;

        public bool Existed { get; } = existed;

        public AtomicFile? File { get; set; }

        public bool Written { get; set; }

        public bool IsWritten => Written || File is { IsCommitted: true };
    }
}
