using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using AgentRefine.Diagnostics;
using AgentRefine.Llm;
using AgentRefine.Personas;
using AgentRefine.Scripts;
using AgentRefine.Trajectories;
using AgentRefine.Verification;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentRefine.Synthesis;

/// <summary>
/// Turns personas into verified AgentRefine records (the paper's synthesis loop). Per persona:
/// generate a script and verify it (regenerate it with the verifier's feedback while it fails);
/// simulate a game and verify it; continue from the verified prefix or regenerate from scratch as the
/// verdict says; stop when accepted or when <see cref="SynthesisOptions.MaxLlmCallsPerPersona"/>
/// generations (script generations included) are spent, in which case the persona becomes a rejected
/// record with every verdict. A generation whose call fails after its transport retries spends its
/// slot and is recorded as <see cref="SynthesisVerdict.CallFailedCode"/>; a persona that runs out of
/// budget after such a failure is <see cref="SynthesisStatus.Unfinished"/>: it is not stored, so the
/// next run retries it (an outage never turns personas into rejected records).
/// </summary>
public sealed class SynthesisPipeline
{
    private readonly IScriptGenerator _scripts;
    private readonly ITrajectorySimulator _simulator;
    private readonly IVerifier _verifier;
    private readonly SynthesisOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    /// <summary>Creates the pipeline.</summary>
    /// <param name="scriptGenerator">Writes scripts.</param>
    /// <param name="trajectorySimulator">Plays games.</param>
    /// <param name="verifier">Judges both.</param>
    /// <param name="options">The run's settings (validated).</param>
    /// <param name="logger">The logger; none when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock for elapsed time; the system clock when <see langword="null"/>.</param>
    public SynthesisPipeline(IScriptGenerator scriptGenerator, ITrajectorySimulator trajectorySimulator, IVerifier verifier, SynthesisOptions? options = null, ILogger<SynthesisPipeline>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(scriptGenerator);
        ArgumentNullException.ThrowIfNull(trajectorySimulator);
        ArgumentNullException.ThrowIfNull(verifier);
        options ??= new SynthesisOptions();
        options.Validate();
        _scripts = scriptGenerator;
        _simulator = trajectorySimulator;
        _verifier = verifier;
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Synthesizes one persona's record (accepted or rejected) within the call budget.</summary>
    /// <param name="persona">The persona.</param>
    /// <param name="cancellationToken">Cancels the work; nothing is returned for a cancelled persona.</param>
    /// <returns>The record.</returns>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    /// <exception cref="Exception">A failure that retrying cannot fix (see <see cref="LlmErrors.IsFatal"/>), rethrown as is.</exception>
    public async Task<SynthesisRecord> SynthesizeAsync(Persona persona, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(persona);
        using var activity = AgentRefineTelemetry.ActivitySource.StartActivity("agentrefine.synthesize_persona");
        activity?.SetTag("agentrefine.persona_source", persona.Source);
        var id = SynthesisRecord.ComputeId(persona.Text, _options.Seed);
        var calls = new List<LlmCall>();
        var verdicts = new List<SynthesisVerdict>();
        Script? script = null;
        ScriptGeneration? acceptedScript = null;
        Script? lastScriptRead = null;
        ScriptGeneration? failedScript = null;
        VerificationResult? scriptVerdict = null;
        Trajectory? prefix = null;
        VerificationResult? trajectoryVerdict = null;

        for (var attempt = 1; attempt <= _options.MaxLlmCallsPerPersona; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (script is null)
            {
                var request = new ScriptGenerationRequest(persona, attempt) { RecordId = id, Previous = failedScript, Verdict = scriptVerdict };
                var generation = await CallAsync(() => _scripts.GenerateAsync(request, cancellationToken), persona, AgentRefineChatRoles.Script, attempt, verdicts, cancellationToken).ConfigureAwait(false);
                if (generation is null)
                {
                    continue;
                }

                calls.Add(generation.Call);
                lastScriptRead = generation.Read.Script ?? lastScriptRead;
                var verdict = _verifier.VerifyScript(generation.Read, cancellationToken);
                Record(persona, AgentRefineChatRoles.Script, attempt, verdict, verdicts);
                if (verdict.IsAccepted)
                {
                    (script, acceptedScript) = (generation.Read.Script, generation);
                }
                else
                {
                    (failedScript, scriptVerdict) = (generation, verdict);
                }

                continue;
            }

            var simulationRequest = new TrajectorySimulationRequest(script, attempt) { RecordId = id, Prefix = prefix, Verdict = trajectoryVerdict };
            var simulation = await CallAsync(() => _simulator.SimulateAsync(simulationRequest, cancellationToken), persona, AgentRefineChatRoles.Trajectory, attempt, verdicts, cancellationToken).ConfigureAwait(false);
            if (simulation is null)
            {
                continue;
            }

            calls.Add(simulation.Call);
            var whole = simulationRequest.IsContinuation ? simulation.Read.After(prefix!) : simulation.Read;
            var result = _verifier.VerifyTrajectory(script, whole, cancellationToken);
            Record(persona, AgentRefineChatRoles.Trajectory, attempt, result, verdicts);
            switch (result.Outcome)
            {
                case VerificationOutcome.Accepted:
                    return Finish(id, persona, SynthesisStatus.Accepted, script, result.VerifiedTurns, calls, verdicts);
                case VerificationOutcome.Continue:
                    (prefix, trajectoryVerdict) = (result.VerifiedTurns, result);
                    break;
                case VerificationOutcome.Regenerate:
                    (prefix, trajectoryVerdict) = (null, result);
                    break;
                default:
                    // A verifier that rejects the script only now: regenerate it with this feedback.
                    (script, failedScript, scriptVerdict, prefix, trajectoryVerdict) = (null, acceptedScript, result, null, null);
                    break;
            }
        }

        var status = verdicts.Any(v => v.Stage == "call") ? SynthesisStatus.Unfinished : SynthesisStatus.Rejected;
        return Finish(id, persona, status, script ?? lastScriptRead, prefix, calls, verdicts);
    }

    /// <summary>
    /// Runs personas through the loop with <see cref="SynthesisOptions.MaxConcurrency"/> in flight,
    /// skipping those whose record is already in <paramref name="store"/>, and appends every record as
    /// it is done (<see cref="SynthesisStatus.Unfinished"/> personas are counted, not stored). Cancellation
    /// stops cleanly: in-flight personas are abandoned (they are redone on the next run), every finished
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

        var writer = Task.Run(async () =>
        {
            var storeFailed = false;
            await foreach (var record in done.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                // After a store failure the channel is still drained, so that no worker waits forever.
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
                    Fail(exception);
                }
            }
        }, CancellationToken.None);

        var producer = Task.Run(async () =>
        {
            try
            {
                var seen = new HashSet<string>(StringComparer.Ordinal);
                await foreach (var persona in personas.WithCancellation(stop.Token).ConfigureAwait(false))
                {
                    var id = SynthesisRecord.ComputeId(persona.Text, _options.Seed);
                    if (!seen.Add(id))
                    {
                        continue;
                    }

                    if (store.Contains(id))
                    {
                        var report = statistics.Skip();
                        progress?.Report(report);
                        continue;
                    }

                    await work.Writer.WriteAsync(persona, stop.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (Exception exception)
            {
                Fail(exception);
            }
            finally
            {
                work.Writer.TryComplete();
            }
        }, CancellationToken.None);

        var workers = Enumerable.Range(0, _options.MaxConcurrency).Select(_ => Task.Run(async () =>
        {
            try
            {
                await foreach (var persona in work.Reader.ReadAllAsync(stop.Token).ConfigureAwait(false))
                {
                    var record = await SynthesizeAsync(persona, stop.Token).ConfigureAwait(false);
                    await done.Writer.WriteAsync(record, CancellationToken.None).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (Exception exception)
            {
                Fail(exception);
            }
        }, CancellationToken.None)).ToArray();

        await Task.WhenAll([producer, .. workers]).ConfigureAwait(false);
        done.Writer.TryComplete();
        await writer.ConfigureAwait(false);

        var result = statistics.Build(_time.GetElapsedTime(started), interrupted: cancellationToken.IsCancellationRequested || failure is not null);
        SynthesisLog.RunFinished(_logger, result.Written, result.Accepted, result.Rejected, result.Skipped, result.Interrupted);
        failure?.Throw();
        return result;
    }

    private async Task<T?> CallAsync<T>(Func<Task<T>> call, Persona persona, string stage, int attempt, List<SynthesisVerdict> verdicts, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested && !LlmErrors.IsFatal(exception, cancellationToken))
        {
            var message = $"The {stage} call failed after its transport retries: {exception.GetType().Name}: {exception.Message}";
            verdicts.Add(new SynthesisVerdict("call", attempt, "failed", 0, 0, [new VerificationIssue(SynthesisVerdict.CallFailedCode, null, message)]));
            SynthesisLog.CallFailed(_logger, persona.Source, stage, attempt, exception.Message);
            return null;
        }
    }

    private void Record(Persona persona, string stage, int attempt, VerificationResult result, List<SynthesisVerdict> verdicts)
    {
        var verdict = SynthesisVerdict.From(stage, attempt, result);
        verdicts.Add(verdict);
        SynthesisLog.Verdict(_logger, persona.Source, stage, attempt, verdict.Outcome, verdict.DecidingCode ?? "none");
    }

    private SynthesisRecord Finish(string id, Persona persona, SynthesisStatus status, Script? script, Trajectory? trajectory, List<LlmCall> calls, List<SynthesisVerdict> verdicts)
    {
        var record = new SynthesisRecord
        {
            Id = id,
            Status = status,
            Persona = persona,
            Script = script,
            Trajectory = trajectory,
            Reason = status == SynthesisStatus.Accepted ? null : (verdicts.Count > 0 ? verdicts[^1].DecidingCode : null) ?? "budget-exhausted",
            Verdicts = verdicts,
            Provenance = new RecordProvenance(
                calls.Select(c => c.ModelId).OfType<string>().Distinct(StringComparer.Ordinal).ToArray(),
                _scripts.PromptVersion,
                _simulator.PromptVersion,
                _options.Seed,
                verdicts.Count,
                calls.Sum(c => c.Retries),
                calls.Count(c => c.Cached),
                persona.Source),
            Usage = new TokenUsage(calls.Sum(c => c.InputTokens), calls.Sum(c => c.OutputTokens)),
        };
        AgentRefineTelemetry.Records.Add(1, new KeyValuePair<string, object?>("status", record.StatusName));
        Activity.Current?.SetTag("agentrefine.status", record.StatusName);
        SynthesisLog.Finished(_logger, persona.Source, record.StatusName, record.Provenance.Calls, record.Id);
        return record;
    }
}
