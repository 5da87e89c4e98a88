using System.Diagnostics;
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
/// Turns one persona into a verified AgentRefine record (the paper's Algorithm 1): generate a script
/// and verify it (regenerate it with the verifier's feedback while it fails); simulate a game and
/// verify it; continue from the verified prefix or regenerate from scratch as the verdict says; stop
/// when accepted or when <see cref="SynthesisOptions.MaxLlmCallsPerPersona"/> generations (script
/// generations included) are spent, in which case the persona becomes a rejected record with every
/// verdict. A generation whose call fails after its transport retries spends its slot and is recorded
/// as <see cref="SynthesisVerdict.CallFailedCode"/>; a persona that runs out of budget after such a
/// failure is <see cref="SynthesisStatus.Unfinished"/> (a run does not store it, so the next run
/// retries it). Every record's provenance carries the verifier's <see cref="IVerifier.Settings"/>.
/// Thread-safe: one instance serves every persona of a run.
/// </summary>
public sealed class PersonaSynthesizer
{
    private readonly IScriptGenerator _scripts;
    private readonly ITrajectorySimulator _simulator;
    private readonly IVerifier _verifier;
    private readonly VerifierOptions? _verifierSettings;
    private readonly SynthesisOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates the synthesizer.</summary>
    /// <param name="scriptGenerator">Writes scripts.</param>
    /// <param name="trajectorySimulator">Plays games.</param>
    /// <param name="verifier">Judges both; its <see cref="IVerifier.Settings"/> go into every record's provenance.</param>
    /// <param name="options">The settings (validated): the call budget and the seed; defaults when <see langword="null"/>.</param>
    /// <param name="logger">The logger; none when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public PersonaSynthesizer(IScriptGenerator scriptGenerator, ITrajectorySimulator trajectorySimulator, IVerifier verifier, SynthesisOptions? options = null, ILogger<PersonaSynthesizer>? logger = null)
        : this(scriptGenerator, trajectorySimulator, verifier, options, (ILogger?)logger)
    {
    }

    /// <summary>Creates the synthesizer with a logger of any category (for the <see cref="SynthesisPipeline"/> façade).</summary>
    internal PersonaSynthesizer(IScriptGenerator scriptGenerator, ITrajectorySimulator trajectorySimulator, IVerifier verifier, SynthesisOptions? options, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(scriptGenerator);
        ArgumentNullException.ThrowIfNull(trajectorySimulator);
        ArgumentNullException.ThrowIfNull(verifier);
        options ??= new SynthesisOptions();
        options.Validate();
        _scripts = scriptGenerator;
        _simulator = trajectorySimulator;
        _verifier = verifier;
        _verifierSettings = verifier.Settings?.Clone();
        _options = options;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The id of <paramref name="persona"/>'s record under this synthesizer's seed (see <see cref="SynthesisRecord.ComputeId"/>).</summary>
    /// <param name="persona">The persona.</param>
    /// <returns>The 32-character id.</returns>
    public string GetRecordId(Persona persona)
    {
        ArgumentNullException.ThrowIfNull(persona);
        return SynthesisRecord.ComputeId(persona.Text, _options.Seed);
    }

    /// <summary>Synthesizes one persona's record (accepted, rejected or unfinished) within the call budget.</summary>
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
        var id = GetRecordId(persona);
        var calls = new List<LlmCall>();
        var verdicts = new List<SynthesisVerdict>();
        Script? script = null;
        ScriptGeneration? acceptedScript = null;
        Script? lastScriptRead = null;
        ScriptGeneration? failedScript = null;
        string? scriptFeedback = null;
        Trajectory? prefix = null;
        string? trajectoryFeedback = null;

        for (var attempt = 1; attempt <= _options.MaxLlmCallsPerPersona; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (script is null)
            {
                var request = new ScriptGenerationRequest(persona, attempt) { RecordId = id, Previous = failedScript, Feedback = scriptFeedback };
                var generation = await CallAsync(() => _scripts.GenerateAsync(request, cancellationToken), persona, AgentRefineChatRoles.Script, attempt, verdicts, cancellationToken).ConfigureAwait(false);
                if (generation is null)
                {
                    continue;
                }

                calls.Add(generation.Call);
                lastScriptRead = generation.Read.Script ?? lastScriptRead;
                var verdict = _verifier.VerifyScript(generation.Read, cancellationToken);
                Record(persona, SynthesisStage.Script, attempt, verdict, verdicts);
                if (verdict.IsAccepted)
                {
                    (script, acceptedScript) = (generation.Read.Script, generation);
                }
                else
                {
                    (failedScript, scriptFeedback) = (generation, verdict.Feedback);
                }

                continue;
            }

            var simulationRequest = new TrajectorySimulationRequest(script, attempt) { RecordId = id, Prefix = prefix, Feedback = trajectoryFeedback };
            var simulation = await CallAsync(() => _simulator.SimulateAsync(simulationRequest, cancellationToken), persona, AgentRefineChatRoles.Trajectory, attempt, verdicts, cancellationToken).ConfigureAwait(false);
            if (simulation is null)
            {
                continue;
            }

            calls.Add(simulation.Call);
            var whole = simulationRequest.IsContinuation ? simulation.Read.After(prefix!) : simulation.Read;
            var result = _verifier.VerifyTrajectory(script, whole, cancellationToken);
            Record(persona, SynthesisStage.Trajectory, attempt, result, verdicts);
            switch (result.Outcome)
            {
                case VerificationOutcome.Accepted:
                    return Finish(id, persona, SynthesisStatus.Accepted, script, result.VerifiedTurns, calls, verdicts);
                case VerificationOutcome.Continue:
                    (prefix, trajectoryFeedback) = (result.VerifiedTurns, result.Feedback);
                    break;
                case VerificationOutcome.Regenerate:
                    (prefix, trajectoryFeedback) = (null, result.Feedback);
                    break;
                default:
                    // A verifier that rejects the script only now: regenerate it with this feedback.
                    (script, failedScript, scriptFeedback, prefix, trajectoryFeedback) = (null, acceptedScript, result.Feedback, null, null);
                    break;
            }
        }

        var status = verdicts.Any(v => v.Stage == SynthesisStage.Call) ? SynthesisStatus.Unfinished : SynthesisStatus.Rejected;
        return Finish(id, persona, status, script ?? lastScriptRead, prefix, calls, verdicts);
    }

    private async Task<T?> CallAsync<T>(Func<Task<T>> call, Persona persona, string role, int attempt, List<SynthesisVerdict> verdicts, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested && !LlmErrors.IsFatal(exception, cancellationToken))
        {
            var message = $"The {role} call failed after its transport retries: {exception.GetType().Name}: {exception.Message}";
            verdicts.Add(new SynthesisVerdict(SynthesisStage.Call, attempt, SynthesisVerdict.FailedOutcome, 0, 0, [new VerificationIssue(SynthesisVerdict.CallFailedCode, null, message)])
            {
                FailureKind = LlmErrors.Classify(exception),
                FailureMessage = exception.Message,
                Retries = exception.Data[LlmResponseProperties.Retries] is int retries ? retries : 0,
            });
            SynthesisLog.CallFailed(_logger, persona.Source, role, attempt, exception.Message);
            return null;
        }
    }

    private void Record(Persona persona, SynthesisStage stage, int attempt, VerificationResult result, List<SynthesisVerdict> verdicts)
    {
        var verdict = SynthesisVerdict.From(stage, attempt, result);
        verdicts.Add(verdict);
        SynthesisLog.Verdict(_logger, persona.Source, verdict.StageName, attempt, verdict.Outcome, verdict.DecidingCode ?? "none");
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
            Provenance = new RecordProvenance
            {
                Models = calls.Select(c => c.ModelId).OfType<string>().Distinct(StringComparer.Ordinal).ToArray(),
                ScriptPromptVersion = _scripts.PromptVersion,
                TrajectoryPromptVersion = _simulator.PromptVersion,
                Seed = _options.Seed,
                Calls = verdicts.Count,
                Retries = calls.Sum(c => c.Retries) + verdicts.Sum(v => v.Retries),
                CachedCalls = calls.Count(c => c.Cached),
                PersonaSource = persona.Source,
                Verifier = _verifierSettings?.Clone(),
            },
            Usage = new TokenUsage(calls.Sum(c => c.InputTokens), calls.Sum(c => c.OutputTokens)) { CachedInputTokens = calls.Sum(c => c.CachedInputTokens) },
        };
        AgentRefineTelemetry.Records.Add(1, new KeyValuePair<string, object?>("status", record.StatusName));
        Activity.Current?.SetTag("agentrefine.status", record.StatusName);
        SynthesisLog.Finished(_logger, persona.Source, record.StatusName, verdicts.Count, record.Id);
        return record;
    }
}
