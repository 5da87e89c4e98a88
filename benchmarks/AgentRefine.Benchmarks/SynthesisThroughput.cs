using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AgentRefine.Llm;
using AgentRefine.Personas;
using AgentRefine.Scripts;
using AgentRefine.Synthesis;
using AgentRefine.Trajectories;
using AgentRefine.Verification;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentRefine.Benchmarks;

/// <summary>
/// Synthesis throughput against a model of fixed latency L: records per second at several
/// concurrencies, compared with the ideal concurrency / (L × calls per record), and the CPU time per
/// record (process CPU time over the run, divided by records; the fake model costs almost nothing).
/// Each run writes real JSONL records to a temporary folder.
/// </summary>
/// <remarks>
/// Two compositions are measured. <see cref="Composition.Host"/> is what a user's host runs: the
/// services of <c>services.AddAgentRefine(...)</c>, the fake model registered with
/// <c>services.AddChatClient(fake).UseAgentRefine()</c> (response cache over SQLite in the run's
/// temporary folder, OpenTelemetry, logging, retries, rate limits, call timeout), a logger factory at the
/// host default level (Information), personas read from a file through <see cref="IPersonaSource"/>, and
/// <see cref="SynthesisPipeline"/> resolved from the provider as <c>agentrefine synthesize</c> does.
/// Every persona is distinct (and carries a per-run nonce), so every call is a cache miss and a store.
/// <see cref="Composition.Bare"/> is the earlier measurement: <see cref="SynthesisPipeline"/> built by
/// hand over the bare fake client, without the Microsoft.Extensions.AI pipeline. Every run checks that
/// all records were accepted with exactly 2 model calls each, none cached and none retried.
/// <c>synthesis-one</c> runs one configuration repeatedly for a profiler, and can also take the host
/// pipeline apart (<see cref="Composition.HostMemoryCache"/>, <see cref="Composition.HostNoCache"/>).
/// </remarks>
internal static class SynthesisThroughput
{
    private const double CallsPerRecord = 2;

    /// <summary>How the measured <see cref="SynthesisPipeline"/> is put together.</summary>
    internal enum Composition
    {
        /// <summary>By hand, over the bare fake client (no M.E.AI pipeline, no cache, in-memory personas).</summary>
        Bare,

        /// <summary>Through <c>AddAgentRefine</c> and <c>AddChatClient(fake).UseAgentRefine()</c>, as a host does.</summary>
        Host,

        /// <summary>
        /// For profiling only: <see cref="Host"/> with the response cache's storage replaced by an in-process
        /// dictionary (a host's own keyed <see cref="IDistributedCache"/>), so the cost of SQLite separates from the rest.
        /// </summary>
        HostMemoryCache,

        /// <summary>For profiling only: <see cref="Host"/> without a cache folder, so the pipeline has no cache stage.</summary>
        HostNoCache,
    }

    public static async Task RunAsync(TextWriter output)
    {
        var (script, game) = await SamplesAsync().ConfigureAwait(false);
        var latency = TimeSpan.FromMilliseconds(50);

        // Warm-up of both compositions: JIT (long enough for most tier-1 compilations, which otherwise
        // show as CPU per record in the first rows), regex compilation paths, SQLite, file system. The
        // host warm-up also proves that the cache stores every answer (a replay of the same personas is all hits).
        await MeasureAsync(script, game, TimeSpan.Zero, concurrency: 8, records: 2000, Composition.Bare).ConfigureAwait(false);
        await MeasureAsync(script, game, TimeSpan.Zero, concurrency: 8, records: 2000, Composition.Host).ConfigureAwait(false);
        await MeasureAsync(script, game, TimeSpan.FromMilliseconds(1), concurrency: 8, records: 200, Composition.Host, checkReplay: true).ConfigureAwait(false);

        // What Task.Delay(50 ms) really takes on this machine (timer granularity), for a second, stricter ideal.
        var calibration = Stopwatch.StartNew();
        for (var i = 0; i < 40; i++)
        {
            await Task.Delay(latency).ConfigureAwait(false);
        }

        var realLatency = calibration.Elapsed.TotalSeconds / 40;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Model latency L = {latency.TotalMilliseconds:F0} ms (Task.Delay measured at {realLatency * 1000:F1} ms); 2 calls per record; {Environment.ProcessorCount} cores; load average {LoadAverage()}."));
        output.WriteLine();

        output.WriteLine("With the M.E.AI pipeline: services.AddAgentRefine(...) + services.AddChatClient(fake).UseAgentRefine(), SynthesisPipeline and IPersonaSource resolved from the provider.");
        output.WriteLine(DescribeHostPipeline(script, game));
        output.WriteLine();
        await TableAsync(output, script, game, latency, realLatency, Composition.Host).ConfigureAwait(false);

        output.WriteLine();
        output.WriteLine("Without the M.E.AI pipeline: SynthesisPipeline built by hand over the bare fake client (no cache, telemetry, logging, retries or timeout; in-memory personas).");
        output.WriteLine();
        await TableAsync(output, script, game, latency, realLatency, Composition.Bare).ConfigureAwait(false);
    }

    /// <summary>
    /// One configuration, <paramref name="repeats"/> times (for profiling: attach dotnet-trace or perf to this):
    /// records per second, share of the ideal and CPU per record.
    /// </summary>
    /// <param name="output">Where the rows go.</param>
    /// <param name="composition">
    /// <c>host</c> (through <c>AddAgentRefine</c> and <c>UseAgentRefine()</c>), <c>bare</c>, or, to take the
    /// pipeline apart, <c>host-memory-cache</c> (the cache stage over an in-process dictionary instead of
    /// SQLite) and <c>host-no-cache</c> (no cache stage).
    /// </param>
    /// <param name="concurrency">Personas in flight.</param>
    /// <param name="records">Records per run.</param>
    /// <param name="latencyMs">The fake model's latency in milliseconds.</param>
    /// <param name="repeats">Runs after the warm-up.</param>
    public static async Task OneAsync(TextWriter output, string composition, int concurrency, int records, double latencyMs, int repeats)
    {
        var which = composition switch
        {
            "host" => Composition.Host,
            "host-memory-cache" => Composition.HostMemoryCache,
            "host-no-cache" => Composition.HostNoCache,
            "bare" => Composition.Bare,
            _ => throw new ArgumentException($"Unknown composition '{composition}': host, host-memory-cache, host-no-cache or bare.", nameof(composition)),
        };
        var (script, game) = await SamplesAsync().ConfigureAwait(false);
        var latency = TimeSpan.FromMilliseconds(latencyMs);
        await MeasureAsync(script, game, TimeSpan.FromMilliseconds(Math.Min(1, latencyMs)), concurrency: 8, records: 200, which).ConfigureAwait(false);
        output.WriteLine("| composition | latency ms | concurrency | records | seconds | records/s | share of ideal | CPU ms/record | load avg after |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---|");
        for (var i = 0; i < repeats; i++)
        {
            var run = await MeasureAsync(script, game, latency, concurrency, records, which).ConfigureAwait(false);
            var rate = records / run.Seconds;
            var share = latency > TimeSpan.Zero ? (rate / (concurrency / (latency.TotalSeconds * CallsPerRecord)) * 100).ToString("F1", CultureInfo.InvariantCulture) + "%" : "n/a";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {composition} | {latencyMs:F0} | {concurrency} | {records} | {run.Seconds:F2} | {rate:F1} | {share} | {run.CpuMs / records:F3} | {LoadAverage()} |"));
        }
    }

    /// <summary>
    /// The cost of <c>--fsync</c> (<see cref="JsonlRecordStoreOptions.FlushToDisk"/>): records per second
    /// with and without a flush to disk per record, against a zero-latency model (the worst case: the
    /// disk is all there is to wait for) and a 50 ms one at concurrency 64 (a fast real server). Measured
    /// over the bare fake client (no response cache), so the records file is the only thing written.
    /// </summary>
    /// <param name="output">Where the table goes.</param>
    /// <param name="records">Records per run.</param>
    /// <param name="parent">The folder the runs write in (the disk to measure); the temporary folder when <see langword="null"/>.</param>
    public static async Task FsyncAsync(TextWriter output, int records, string? parent)
    {
        var (script, game) = await SamplesAsync().ConfigureAwait(false);
        await MeasureAsync(script, game, TimeSpan.Zero, concurrency: 8, records: 200, Composition.Bare, parent: parent).ConfigureAwait(false);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{records} records per run, written under {parent ?? Path.GetTempPath()}; bare fake client (no M.E.AI pipeline)."));
        output.WriteLine();
        output.WriteLine("| model latency | concurrency | flush to disk | seconds | records/s | ms per record |");
        output.WriteLine("|---:|---:|---|---:|---:|---:|");
        foreach (var (latency, concurrency) in new[] { (TimeSpan.Zero, 8), (TimeSpan.FromMilliseconds(50), 64) })
        {
            foreach (var flush in new[] { false, true })
            {
                var run = await MeasureAsync(script, game, latency, concurrency, records, Composition.Bare, flush, parent).ConfigureAwait(false);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {latency.TotalMilliseconds:F0} ms | {concurrency} | {(flush ? "yes (--fsync)" : "no")} | {run.Seconds:F2} | {records / run.Seconds:F0} | {run.Seconds * 1000 / records:F3} |"));
            }
        }
    }

    private static async Task TableAsync(TextWriter output, string script, string game, TimeSpan latency, double realLatency, Composition composition)
    {
        output.WriteLine("| concurrency | records | seconds | records/s | ideal c/(L×2) | share of ideal | share of ideal at measured L | CPU ms/record | load avg after |");
        output.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var (concurrency, records) in new[] { (1, 80), (8, 640), (64, 5120), (512, 20480) })
        {
            var run = await MeasureAsync(script, game, latency, concurrency, records, composition).ConfigureAwait(false);
            var rate = records / run.Seconds;
            var ideal = concurrency / (latency.TotalSeconds * CallsPerRecord);
            var measuredIdeal = concurrency / (realLatency * CallsPerRecord);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {concurrency} | {records} | {run.Seconds:F2} | {rate:F1} | {ideal:F1} | {rate / ideal * 100:F1}% | {rate / measuredIdeal * 100:F1}% | {run.CpuMs / records:F3} | {LoadAverage()} |"));
        }

        // CPU per record without latency: the library's own cost dominates.
        const int FastRecords = 4000;
        var fast = await MeasureAsync(script, game, TimeSpan.Zero, concurrency: 8, FastRecords, composition).ConfigureAwait(false);
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Zero-latency model, concurrency 8, {FastRecords} records: {FastRecords / fast.Seconds:F0} records/s, CPU {fast.CpuMs / FastRecords:F3} ms per record, {fast.Gen0} gen0 / {fast.Gen1} gen1 / {fast.Gen2} gen2 GCs ({(composition == Composition.Host ? "2 LLM calls through the pipeline with 2 cache misses + stores" : "2 LLM calls to the bare client")}, 2 verifications, prompt building, JSONL write); load average {LoadAverage()}."));
    }

    private static async Task<(string Script, string Game)> SamplesAsync()
    {
        var samples = Path.Combine(AppContext.BaseDirectory, "samples", "verify");
        var script = await File.ReadAllTextAsync(Path.Combine(samples, "script.json")).ConfigureAwait(false);
        var game = "{\"turns\": " + await File.ReadAllTextAsync(Path.Combine(samples, "trajectory.json")).ConfigureAwait(false) + "}";
        return (script, game);
    }

    private readonly record struct Run(double Seconds, double CpuMs, int Gen0, int Gen1, int Gen2);

    private static async Task<Run> MeasureAsync(string script, string game, TimeSpan latency, int concurrency, int records, Composition composition, bool flushToDisk = false, string? parent = null, bool checkReplay = false)
    {
        var folder = parent is null ? Directory.CreateTempSubdirectory("agentrefine-bench-").FullName : Directory.CreateDirectory(Path.Combine(parent, $"agentrefine-bench-{Guid.NewGuid():N}")).FullName;
        try
        {
            var client = new FixedLatencyChatClient(latency, script, game);
            var store = await JsonlRecordStore.OpenAsync(Path.Combine(folder, "records.jsonl"), Path.Combine(folder, "rejected.jsonl"), new JsonlRecordStoreOptions { FlushToDisk = flushToDisk }).ConfigureAwait(false);
            await using (store.ConfigureAwait(false))
            {
                if (composition == Composition.Bare)
                {
                    var pipeline = new SynthesisPipeline(
                        new LlmScriptGenerator(client),
                        new LlmTrajectorySimulator(client),
                        new RuleBasedVerifier(),
                        new SynthesisOptions { MaxConcurrency = concurrency });
                    var personas = Enumerable.Range(0, records).Select(i => new Persona($"Benchmark persona number {i}, a careful worker", $"bench:{i}")).ToAsyncEnumerable();
                    return await TimeAsync(() => pipeline.RunAsync(personas, store), client, records, expectedCached: 0).ConfigureAwait(false);
                }

                var personaFile = await WritePersonasAsync(folder, records).ConfigureAwait(false);
                var provider = BuildHost(client, concurrency, personaFile, Path.Combine(folder, "cache"), composition);
                await using (provider.ConfigureAwait(false))
                {
                    // Resolved before the clock starts, as the CLI does: builds the chat pipeline and opens the SQLite cache.
                    var pipeline = provider.GetRequiredService<SynthesisPipeline>();
                    var source = provider.GetRequiredService<IPersonaSource>();
                    var run = await TimeAsync(() => pipeline.RunAsync(source.ReadAsync(), store), client, records, expectedCached: 0).ConfigureAwait(false);
                    if (checkReplay)
                    {
                        // The same personas again, into a fresh records file: every answer must now come from the cache.
                        var again = await JsonlRecordStore.OpenAsync(Path.Combine(folder, "replay.jsonl"), Path.Combine(folder, "replay.rejected.jsonl")).ConfigureAwait(false);
                        await using (again.ConfigureAwait(false))
                        {
                            var before = client.Calls;
                            var statistics = await pipeline.RunAsync(source.ReadAsync(), again).ConfigureAwait(false);
                            if (statistics.CachedCalls != records * CallsPerRecord || client.Calls != before)
                            {
                                throw new InvalidOperationException($"The response cache did not store every answer: a replay of {records} personas got {statistics.CachedCalls} cached calls and made {client.Calls - before} model calls.");
                            }
                        }
                    }

                    return run;
                }
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The host's composition root: the fake model as the chat client with the library's stages, then <c>AddAgentRefine</c>, as <c>CliServices.Build</c> orders them.</summary>
    private static ServiceProvider BuildHost(FixedLatencyChatClient client, int concurrency, string personaFile, string cacheDirectory, Composition composition = Composition.Host)
    {
        var services = new ServiceCollection();
        if (composition == Composition.HostMemoryCache)
        {
            // Registered before AddAgentRefine, so its TryAdd of the SQLite store leaves this one in place.
            services.AddKeyedSingleton<IDistributedCache>(ResponseCacheChatClient.StorageServiceKey, new DictionaryCache());
        }

        // A host's logger factory at its default minimum level (Information), so the logging stage is in
        // the pipeline; the sink formats each message and drops it (no terminal I/O in the measurement).
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Information).AddProvider(new DiscardingLoggerProvider()));
        services.AddChatClient(client).UseAgentRefine();
        services.AddAgentRefine(options =>
        {
            options.Synthesis.MaxConcurrency = concurrency;
            options.Synthesis.CacheDirectory = composition == Composition.HostNoCache ? null : cacheDirectory;
            options.Personas.Path = personaFile;

            // Synthesis.Resilience keeps its defaults: 6 retries, 180 s call timeout, and no requests- or
            // tokens-per-minute limit (the default), so the rate-limit stage is not added and caps nothing.
        });
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    /// <summary>Writes <paramref name="records"/> distinct personas as Persona Hub JSON Lines; a per-run nonce keeps every prompt new to any cache.</summary>
    private static async Task<string> WritePersonasAsync(string folder, int records)
    {
        var path = Path.Combine(folder, "personas.jsonl");
        var nonce = Guid.NewGuid().ToString("N");
        await File.WriteAllLinesAsync(path, Enumerable.Range(0, records).Select(i =>
            JsonSerializer.Serialize(new Dictionary<string, string> { ["persona"] = $"Benchmark persona number {i} of run {nonce}, a careful worker" }))).ConfigureAwait(false);
        return path;
    }

    private static async Task<Run> TimeAsync(Func<Task<SynthesisStatistics>> run, FixedLatencyChatClient client, int records, int expectedCached)
    {
        var callsBefore = client.Calls;
        var (gen0, gen1, gen2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var statistics = await run().ConfigureAwait(false);
        clock.Stop();
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        if (statistics.Accepted != records)
        {
            throw new InvalidOperationException($"Expected {records} accepted records, got {statistics.Accepted}.");
        }

        // Every call reached the model (a miss, never a hit) and none was retried.
        var calls = client.Calls - callsBefore;
        if (calls != records * CallsPerRecord || statistics.CachedCalls != expectedCached || statistics.Retries != 0)
        {
            throw new InvalidOperationException($"Expected {records * CallsPerRecord} model calls, {expectedCached} cached and no retries; got {calls} model calls, {statistics.CachedCalls} cached, {statistics.Retries} retries.");
        }

        return new Run(clock.Elapsed.TotalSeconds, cpu.TotalMilliseconds, GC.CollectionCount(0) - gen0, GC.CollectionCount(1) - gen1, GC.CollectionCount(2) - gen2);
    }

    /// <summary>The stages the host composition's chat client really has, outermost first.</summary>
    private static string DescribeHostPipeline(string script, string game)
    {
        var folder = Directory.CreateTempSubdirectory("agentrefine-bench-").FullName;
        try
        {
            using var provider = BuildHost(new FixedLatencyChatClient(TimeSpan.Zero, script, game), 8, Path.Combine(folder, "personas.jsonl"), Path.Combine(folder, "cache"));
            var chat = provider.GetRequiredService<IChatClient>();
            var stages = new (string Name, bool Present)[]
            {
                ("response cache (SQLite, temp folder)", chat.GetService<ResponseCacheChatClient>() is not null),
                ("OpenTelemetry", chat.GetService<OpenTelemetryChatClient>() is not null),
                ("logging", chat.GetService<LoggingChatClient>() is not null),
                ("retries", chat.GetService<ResilientChatClient>() is not null),
                ("rate limits", chat.GetService<RateLimitingChatClient>() is not null),
                ("call timeout", chat.GetService<CallTimeoutChatClient>() is not null),
            };
            return "Chat pipeline, outermost first: " + string.Join(" → ", stages.Select(s => s.Present ? s.Name : $"[{s.Name}: not added]"))
                + " → fake model. Rate limits are unlimited by default (no RPM/TPM), so that stage is skipped and caps nothing; no OpenTelemetry listener is attached (a host without the OTel SDK).";
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The 1-, 5- and 15-minute load averages (Linux), or "n/a".</summary>
    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
        catch (UnauthorizedAccessException)
        {
            return "n/a";
        }
    }

    /// <summary>An in-process <see cref="IDistributedCache"/> without expiry, to take SQLite out of the pipeline when profiling.</summary>
    private sealed class DictionaryCache : IDistributedCache
    {
        private readonly ConcurrentDictionary<string, byte[]> _entries = new(StringComparer.Ordinal);

        public byte[]? Get(string key) => _entries.GetValueOrDefault(key);

        public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => Task.FromResult(Get(key));

        public void Refresh(string key)
        {
        }

        public Task RefreshAsync(string key, CancellationToken token = default) => Task.CompletedTask;

        public void Remove(string key) => _entries.TryRemove(key, out _);

        public Task RemoveAsync(string key, CancellationToken token = default)
        {
            Remove(key);
            return Task.CompletedTask;
        }

        public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => _entries[key] = value;

        public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
        {
            Set(key, value, options);
            return Task.CompletedTask;
        }
    }

    /// <summary>Stands in for a host's log sink: formats every enabled message (Information and above) and drops it.</summary>
    private sealed class DiscardingLoggerProvider : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => DiscardingLogger.Instance;

        public void Dispose()
        {
        }

        private sealed class DiscardingLogger : ILogger
        {
            public static readonly DiscardingLogger Instance = new();

            private static int _length;

            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                {
                    // Keep the formatted text observable so the formatting is not optimised away.
                    Volatile.Write(ref _length, formatter(state, exception).Length);
                }
            }
        }
    }
}
