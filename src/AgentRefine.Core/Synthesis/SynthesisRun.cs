using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using AgentRefine.Personas;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentRefine.Synthesis;

/// <summary>
/// Runs personas through a <see cref="PersonaSynthesizer"/> with <see cref="SynthesisOptions.MaxConcurrency"/>
/// in flight, skipping those whose record is already stored, and appends every record as it is done:
/// a producer (dedupe, skip), bounded channels, workers, and one writer that owns the store, the
/// statistics and the progress reports. Thread-safe; each <see cref="RunAsync"/> is a run of its own.
/// </summary>
public sealed class SynthesisRun
{
    private readonly SynthesisOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    /// <summary>Creates the run.</summary>
    /// <param name="synthesizer">Synthesizes each persona (and gives each persona's record id).</param>
    /// <param name="options">The settings (validated): the concurrency; defaults when <see langword="null"/>.</param>
    /// <param name="logger">The logger; none when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock for elapsed time; the system clock when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public SynthesisRun(PersonaSynthesizer synthesizer, SynthesisOptions? options = null, ILogger<SynthesisRun>? logger = null, TimeProvider? timeProvider = null)
        : this(synthesizer, options, (ILogger?)logger, timeProvider)
    {
    }

    /// <summary>Creates the run with a logger of any category (for the <see cref="SynthesisPipeline"/> façade).</summary>
    internal SynthesisRun(PersonaSynthesizer synthesizer, SynthesisOptions? options, ILogger? logger, TimeProvider? timeProvider)
    {
        ArgumentNullException.ThrowIfNull(synthesizer);
        options ??= new SynthesisOptions();
        options.Validate();
        Synthesizer = synthesizer;
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The synthesizer each persona goes through.</summary>
    public PersonaSynthesizer Synthesizer { get; }

    /// <summary>
    /// Runs the personas, skipping those whose record is already in <paramref name="store"/> (and
    /// repeats within the run), and appends every record as it is done
    /// (<see cref="SynthesisStatus.Unfinished"/> personas are counted, not stored). Cancellation stops
    /// cleanly: in-flight personas are abandoned (they are redone on the next run), every finished
    /// record is on disk, and the statistics say the run was interrupted.
    /// </summary>
    /// <param name="personas">The personas.</param>
    /// <param name="store">Where records go.</param>
    /// <param name="progress">Receives a report after each record and each skip; optional.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>The run's statistics.</returns>
    /// <exception cref="Exception">A failure that retrying cannot fix (wrong key, unknown model, unreadable persona file), after the finished records are written.</exception>
    public async Task<SynthesisStatistics> RunAsync(IAsyncEnumerable<Persona> personas, ISynthesisRecordStore store, IProgress<SynthesisProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(personas);
        ArgumentNullException.ThrowIfNull(store);
        var started = _time.GetTimestamp();
        var statistics = new SynthesisStatisticsBuilder();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var capacity = _options.MaxConcurrency * 2;
        var work = Channel.CreateBounded<Persona>(new BoundedChannelOptions(capacity) { SingleWriter = true });
        var done = Channel.CreateBounded<SynthesisRecord>(new BoundedChannelOptions(capacity) { SingleReader = true });
        ExceptionDispatchInfo? failure = null;

        void Fail(Exception exception)
        {
            if (Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(exception), null) is null)
            {
                SynthesisLog.RunFailed(_logger, exception.Message);
            }

            stop.Cancel();
        }

        var writer = Task.Run(() => WriteAsync(done.Reader, store, statistics, progress, Fail), CancellationToken.None);
        var producer = Task.Run(() => ProduceAsync(personas, store, work.Writer, statistics, progress, Fail, stop), CancellationToken.None);
        var workers = Enumerable.Range(0, _options.MaxConcurrency)
            .Select(_ => Task.Run(() => WorkAsync(work.Reader, done.Writer, Fail, stop), CancellationToken.None))
            .ToArray();

        await Task.WhenAll([producer, .. workers]).ConfigureAwait(false);
        done.Writer.TryComplete();
        await writer.ConfigureAwait(false);

        var result = statistics.Build(_time.GetElapsedTime(started), interrupted: cancellationToken.IsCancellationRequested || failure is not null);
        SynthesisLog.RunFinished(_logger, result.Written, result.Accepted, result.Rejected, result.Skipped, result.Interrupted);
        failure?.Throw();
        return result;
    }

    /// <summary>Reads the personas, drops repeats, counts the stored ones as skipped, and queues the rest.</summary>
    private async Task ProduceAsync(IAsyncEnumerable<Persona> personas, ISynthesisRecordStore store, ChannelWriter<Persona> work, SynthesisStatisticsBuilder statistics, IProgress<SynthesisProgress>? progress, Action<Exception> fail, CancellationTokenSource stop)
    {
        try
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var persona in personas.WithCancellation(stop.Token).ConfigureAwait(false))
            {
                var id = Synthesizer.GetRecordId(persona);
                if (!seen.Add(id))
                {
                    continue;
                }

                if (store.Contains(id))
                {
                    var skipped = statistics.Skip();
                    progress?.Report(skipped);
                    continue;
                }

                await work.WriteAsync(persona, stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            fail(exception);
        }
        finally
        {
            work.TryComplete();
        }
    }

    /// <summary>Synthesizes queued personas one at a time and hands their records to the writer.</summary>
    private async Task WorkAsync(ChannelReader<Persona> work, ChannelWriter<SynthesisRecord> done, Action<Exception> fail, CancellationTokenSource stop)
    {
        try
        {
            await foreach (var persona in work.ReadAllAsync(stop.Token).ConfigureAwait(false))
            {
                var record = await Synthesizer.SynthesizeAsync(persona, stop.Token).ConfigureAwait(false);
                await done.WriteAsync(record, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            fail(exception);
        }
    }

    /// <summary>
    /// Appends finished records (not unfinished ones) and reports progress. Appends are never
    /// cancelled, so a record handed over is written whole; after a store failure the channel is still
    /// drained, so that no worker waits forever.
    /// </summary>
    private static async Task WriteAsync(ChannelReader<SynthesisRecord> done, ISynthesisRecordStore store, SynthesisStatisticsBuilder statistics, IProgress<SynthesisProgress>? progress, Action<Exception> fail)
    {
        var storeFailed = false;
        await foreach (var record in done.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            if (storeFailed)
            {
                continue;
            }

            try
            {
                if (record.Status != SynthesisStatus.Unfinished)
                {
                    await store.AppendAsync(record, CancellationToken.None).ConfigureAwait(false);
                }

                var report = statistics.Add(record);
                progress?.Report(report);
            }
            catch (Exception exception)
            {
                storeFailed = true;
                fail(exception);
            }
        }
    }
}
