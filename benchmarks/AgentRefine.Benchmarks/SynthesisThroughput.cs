using System.Diagnostics;
using System.Globalization;
using AgentRefine.Personas;
using AgentRefine.Scripts;
using AgentRefine.Synthesis;
using AgentRefine.Trajectories;
using AgentRefine.Verification;

namespace AgentRefine.Benchmarks;

/// <summary>
/// Synthesis throughput against a model of fixed latency L: records per second at several
/// concurrencies, compared with the ideal concurrency / (L × calls per record), and the library's
/// CPU time per record (process CPU time over the run, divided by records; the fake model costs
/// almost nothing). Each run writes real JSONL records to a temporary folder.
/// </summary>
internal static class SynthesisThroughput
{
    public static async Task RunAsync(TextWriter output)
    {
        var (script, game) = await SamplesAsync().ConfigureAwait(false);
        var latency = TimeSpan.FromMilliseconds(50);
        const double callsPerRecord = 2;

        // Warm-up: JIT, regex compilation paths, file system.
        await MeasureAsync(script, game, TimeSpan.FromMilliseconds(1), concurrency: 8, records: 200).ConfigureAwait(false);

        // What Task.Delay(50 ms) really takes on this machine (timer granularity), for a second, stricter ideal.
        var calibration = Stopwatch.StartNew();
        for (var i = 0; i < 40; i++)
        {
            await Task.Delay(latency).ConfigureAwait(false);
        }

        var realLatency = calibration.Elapsed.TotalSeconds / 40;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Model latency L = {latency.TotalMilliseconds:F0} ms (Task.Delay measured at {realLatency * 1000:F1} ms); 2 calls per record."));
        output.WriteLine();
        output.WriteLine("| concurrency | records | seconds | records/s | ideal c/(L×2) | share of ideal | share of ideal at measured L |");
        output.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (concurrency, records) in new[] { (1, 40), (8, 320), (64, 5120) })
        {
            var (seconds, _) = await MeasureAsync(script, game, latency, concurrency, records).ConfigureAwait(false);
            var rate = records / seconds;
            var ideal = concurrency / (latency.TotalSeconds * callsPerRecord);
            var measuredIdeal = concurrency / (realLatency * callsPerRecord);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {concurrency} | {records} | {seconds:F2} | {rate:F1} | {ideal:F1} | {rate / ideal * 100:F1}% | {rate / measuredIdeal * 100:F1}% |"));
        }

        // CPU per record without latency: the library's own cost dominates.
        var (fastSeconds, fastCpu) = await MeasureAsync(script, game, TimeSpan.Zero, concurrency: 8, records: 4000).ConfigureAwait(false);
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Zero-latency model, concurrency 8, 4000 records: {4000 / fastSeconds:F0} records/s, CPU {fastCpu / 4000:F3} ms per record (2 LLM calls, 2 verifications, prompt building, JSONL write)."));
    }

    /// <summary>
    /// The cost of <c>--fsync</c> (<see cref="JsonlRecordStoreOptions.FlushToDisk"/>): records per second
    /// with and without a flush to disk per record, against a zero-latency model (the worst case: the
    /// disk is all there is to wait for) and a 50 ms one at concurrency 64 (a fast real server).
    /// </summary>
    /// <param name="output">Where the table goes.</param>
    /// <param name="records">Records per run.</param>
    /// <param name="parent">The folder the runs write in (the disk to measure); the temporary folder when <see langword="null"/>.</param>
    public static async Task FsyncAsync(TextWriter output, int records, string? parent)
    {
        var (script, game) = await SamplesAsync().ConfigureAwait(false);
        await MeasureAsync(script, game, TimeSpan.Zero, concurrency: 8, records: 200, parent: parent).ConfigureAwait(false);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{records} records per run, written under {parent ?? Path.GetTempPath()}."));
        output.WriteLine();
        output.WriteLine("| model latency | concurrency | flush to disk | seconds | records/s | ms per record |");
        output.WriteLine("|---:|---:|---|---:|---:|---:|");
        foreach (var (latency, concurrency) in new[] { (TimeSpan.Zero, 8), (TimeSpan.FromMilliseconds(50), 64) })
        {
            foreach (var flush in new[] { false, true })
            {
                var (seconds, _) = await MeasureAsync(script, game, latency, concurrency, records, flush, parent).ConfigureAwait(false);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {latency.TotalMilliseconds:F0} ms | {concurrency} | {(flush ? "yes (--fsync)" : "no")} | {seconds:F2} | {records / seconds:F0} | {seconds * 1000 / records:F3} |"));
            }
        }
    }

    private static async Task<(string Script, string Game)> SamplesAsync()
    {
        var samples = Path.Combine(AppContext.BaseDirectory, "samples", "verify");
        var script = await File.ReadAllTextAsync(Path.Combine(samples, "script.json")).ConfigureAwait(false);
        var game = "{\"turns\": " + await File.ReadAllTextAsync(Path.Combine(samples, "trajectory.json")).ConfigureAwait(false) + "}";
        return (script, game);
    }

    private static async Task<(double Seconds, double CpuMs)> MeasureAsync(string script, string game, TimeSpan latency, int concurrency, int records, bool flushToDisk = false, string? parent = null)
    {
        var folder = parent is null ? Directory.CreateTempSubdirectory("agentrefine-bench-").FullName : Directory.CreateDirectory(Path.Combine(parent, $"agentrefine-bench-{Guid.NewGuid():N}")).FullName;
        try
        {
            var client = new FixedLatencyChatClient(latency, script, game);
            var pipeline = new SynthesisPipeline(
                new LlmScriptGenerator(client),
                new LlmTrajectorySimulator(client),
                new RuleBasedVerifier(),
                new SynthesisOptions { MaxConcurrency = concurrency });
            var personas = Enumerable.Range(0, records).Select(i => new Persona($"Benchmark persona number {i}, a careful worker", $"bench:{i}")).ToAsyncEnumerable();
            await using var store = await JsonlRecordStore.OpenAsync(Path.Combine(folder, "records.jsonl"), Path.Combine(folder, "rejected.jsonl"), new JsonlRecordStoreOptions { FlushToDisk = flushToDisk }).ConfigureAwait(false);
            var process = Process.GetCurrentProcess();
            var cpuBefore = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var statistics = await pipeline.RunAsync(personas, store).ConfigureAwait(false);
            clock.Stop();
            process.Refresh();
            var cpu = process.TotalProcessorTime - cpuBefore;
            if (statistics.Accepted != records)
            {
                throw new InvalidOperationException($"Expected {records} accepted records, got {statistics.Accepted}.");
            }

            return (clock.Elapsed.TotalSeconds, cpu.TotalMilliseconds);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
