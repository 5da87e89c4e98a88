using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace AgentRefine.Benchmarks;

/// <summary>
/// Process against process: <c>agentrefine convert --format openai</c> (the built tool, started as a user
/// starts it) and the Python peer <c>shared/bench/peer_verify_convert.py</c>, one after the other on
/// the same records file, repeated; prints every run, the medians and the ratio.
/// </summary>
internal static class PeerComparison
{
    public static async Task<int> RunAsync(TextWriter output, string[] args)
    {
        var records = 50_000;
        var repeats = 3;
        string? input = null;
        string? tool = null;
        var extra = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--input" when i + 1 < args.Length:
                    input = args[++i];
                    break;
                case "--tool" when i + 1 < args.Length:
                    tool = Path.GetFullPath(args[++i]);
                    break;
                case "--repeats" when i + 1 < args.Length:
                    if (!int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out repeats) || repeats < 1)
                    {
                        Console.Error.WriteLine($"peer: --repeats must be a whole number of 1 or more, found '{args[i]}'.");
                        return 2;
                    }

                    break;
                case "--" when i + 1 < args.Length:
                    extra.AddRange(args[(i + 1)..]);
                    i = args.Length;
                    break;
                default:
                    if (!int.TryParse(args[i], NumberStyles.None, CultureInfo.InvariantCulture, out records) || records < 1)
                    {
                        Console.Error.WriteLine($"peer: '{args[i]}' is not a record count; usage: peer [records] [--repeats N] [--input file] [--tool agentrefine.dll] [-- convert options]");
                        return 2;
                    }

                    break;
            }
        }

        foreach (var (name, path) in new[] { ("--input", input), ("--tool", tool) })
        {
            if (path is not null && !File.Exists(path))
            {
                Console.Error.WriteLine($"peer: {name}: '{Path.GetFullPath(path)}' does not exist.");
                return 2;
            }
        }

        tool ??= await PublishToolAsync(output).ConfigureAwait(false);
        var peer = FindUp(Path.Combine("shared", "bench", "peer_verify_convert.py"), Path.Combine("..", "shared", "bench", "peer_verify_convert.py"));
        if (tool is null || peer is null)
        {
            Console.Error.WriteLine(tool is null
                ? "agentrefine could not be published (see the output above); pass --tool <path to agentrefine.dll> instead."
                : "peer_verify_convert.py not found: ../shared/bench/ must sit beside the repository.");
            return 2;
        }

        var folder = Directory.CreateTempSubdirectory("agentrefine-peer-").FullName;
        try
        {
            if (input is null)
            {
                input = Path.Combine(folder, "records.jsonl");
                var bytes = await RealisticRecords.WriteAsync(input, records).ConfigureAwait(false);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Input: {records:N0} generated records, every script distinct, {bytes / 1e6:F1} MB ({bytes / records:N0} bytes per record)."));
            }
            else
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Input: {input}, {new FileInfo(input).Length / 1e6:F1} MB."));
            }

            output.WriteLine($"Tool: dotnet {tool} convert --input <file> --format openai --output <file>{(extra.Count > 0 ? " " + string.Join(' ', extra) : "")}");
            output.WriteLine($"Peer: python3 {peer} convert <file> <out>");
            output.WriteLine();
            output.WriteLine("| run | agentrefine s | agentrefine CPU s | peer s | peer CPU s | ratio (peer / agentrefine) |");
            output.WriteLine("|---:|---:|---:|---:|---:|---:|");
            var ours = new List<double>();
            var theirs = new List<double>();
            var oursOut = Path.Combine(folder, "ours.jsonl");
            var peerOut = Path.Combine(folder, "peer.jsonl");
            for (var run = 1; run <= repeats; run++)
            {
                File.Delete(oursOut);
                var (oursSeconds, oursCpu) = await TimeAsync("dotnet", [tool, "convert", "--input", input, "--format", "openai", "--output", oursOut, .. extra]).ConfigureAwait(false);
                var (peerSeconds, peerCpu) = await TimeAsync("python3", [peer, "convert", input, peerOut]).ConfigureAwait(false);
                ours.Add(oursSeconds);
                theirs.Add(peerSeconds);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {run} | {oursSeconds:F2} | {oursCpu:F2} | {peerSeconds:F2} | {peerCpu:F2} | {peerSeconds / oursSeconds:F1}× |"));
            }

            var oursMedian = Median(ours);
            var peerMedian = Median(theirs);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| median | {oursMedian:F2} | | {peerMedian:F2} | | **{peerMedian / oursMedian:F1}×** |"));
            var oursRows = File.ReadLines(oursOut).LongCount();
            var peerRows = File.ReadLines(peerOut).LongCount();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Conversations written: agentrefine {oursRows:N0}, peer {peerRows:N0}{(oursRows == peerRows ? "" : " (they differ: the two do not agree on which records pass)")}."));
            return oursRows == peerRows ? 0 : 1;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// Publishes the tool as users install a fast build of it: <c>dotnet publish src/AgentRefine.Cli -c Release
    /// -r &lt;this machine's RID&gt;</c> (ReadyToRun, framework-dependent), into the benchmark's own output folder.
    /// </summary>
    private static async Task<string?> PublishToolAsync(TextWriter output)
    {
        var project = FindUp(Path.Combine("src", "AgentRefine.Cli", "AgentRefine.Cli.csproj"));
        if (project is null)
        {
            return null;
        }

        var folder = Path.Combine(AppContext.BaseDirectory, "agentrefine-tool");
        var rid = System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier;
        output.WriteLine($"Publishing the tool: dotnet publish {project} -c Release -r {rid} --self-contained false -o {folder}");
        await TimeAsync("dotnet", ["publish", project, "-c", "Release", "-r", rid, "--self-contained", "false", "-o", folder, "--nologo", "-v", "q"]).ConfigureAwait(false);
        var dll = Path.Combine(folder, "agentrefine.dll");
        return File.Exists(dll) ? dll : null;
    }

    /// <summary>
    /// Runs a process to its end; returns its wall-clock seconds and its CPU seconds (user + system,
    /// read through <c>/usr/bin/time</c> where there is one, else <see cref="double.NaN"/>), or throws with
    /// its error output when it fails.
    /// </summary>
    private static async Task<(double Seconds, double CpuSeconds)> TimeAsync(string file, string[] arguments)
    {
        const string Time = "/usr/bin/time";
        var timed = File.Exists(Time);
        var start = new ProcessStartInfo(timed ? Time : file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (timed)
        {
            foreach (var argument in new[] { "-f", "cpu %U %S", file })
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        clock.Stop();
        var errors = await stderr.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}: {errors}{await stdout.ConfigureAwait(false)}");
        }

        var cpu = double.NaN;
        var line = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => l.StartsWith("cpu ", StringComparison.Ordinal));
        if (line?.Split(' ') is [_, var user, var system])
        {
            cpu = double.Parse(user, CultureInfo.InvariantCulture) + double.Parse(system, CultureInfo.InvariantCulture);
        }

        return (clock.Elapsed.TotalSeconds, cpu);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string? FindUp(params string[] relativePaths)
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            foreach (var relative in relativePaths)
            {
                var candidate = Path.GetFullPath(Path.Combine(folder.FullName, relative));
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>Writes a generated realistic records file (for profiling the tool by hand).</summary>
    public static async Task GenerateAsync(TextWriter output, int records, string path)
    {
        var bytes = await RealisticRecords.WriteAsync(path, records).ConfigureAwait(false);
        output.WriteLine(JsonSerializer.Serialize(new { path, records, bytes }));
    }
}
