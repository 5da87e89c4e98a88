using AgentRefine.Scripts;
using AgentRefine.Synthesis;
using AgentRefine.Trajectories;
using AgentRefine.Verification;

namespace AgentRefine.Conversion;

/// <summary>
/// Turns verified records into refinement-tuning conversations (the paper's Equation 1). User
/// messages are the DM's observations, the first one rendered with the task (goal, action templates,
/// answer format; never the hidden environment); assistant messages are the Player's turns as
/// <c>Thought: …\nAction: …</c>. An assistant turn is erroneous when the DM turn after it sets any
/// error flag; how it is treated depends on <see cref="ConversionOptions.Mode"/>. The final DM turn
/// is dropped, so every conversation ends on an assistant turn. A record is verified again before
/// conversion, under the settings it was accepted under (its provenance's verifier settings, else the
/// factory's defaults; <see cref="ConversionOptions.MinErrorRefineTurns"/> overrides the minimum); one
/// that fails, is not accepted, or would train no turn is skipped with a reason. Thread-safe.
/// </summary>
public sealed class RefinementTuningConverter
{
    private readonly IVerifierFactory _verifiers;
    private readonly ConversionOptions _options;
    private readonly FirstMessageTemplate _template;

    /// <summary>Creates a converter that verifies each record under its own settings.</summary>
    /// <param name="verifiers">Makes the verifier for each record's settings (<see cref="VerifierFactory"/> by default).</param>
    /// <param name="options">The settings (validated); defaults when <see langword="null"/>.</param>
    /// <exception cref="FormatException">The prompt template is invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public RefinementTuningConverter(IVerifierFactory verifiers, ConversionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(verifiers);
        _options = options ?? new ConversionOptions();
        _options.Validate();
        _verifiers = verifiers;
        _template = _options.PromptTemplate is null ? FirstMessageTemplate.DefaultTemplate : new FirstMessageTemplate(_options.PromptTemplate);
    }

    /// <summary>Creates a converter that verifies every record with one verifier, whatever the record's provenance says.</summary>
    /// <param name="verifier">The verifier used to check every record again.</param>
    /// <param name="options">The settings; defaults when <see langword="null"/>. <see cref="ConversionOptions.MinErrorRefineTurns"/> must be unset: the verifier's own settings apply.</param>
    /// <exception cref="FormatException">The prompt template is invalid.</exception>
    /// <exception cref="ArgumentException"><see cref="ConversionOptions.MinErrorRefineTurns"/> is set.</exception>
    public RefinementTuningConverter(IVerifier verifier, ConversionOptions? options = null)
        : this(new SingleVerifierFactory(verifier ?? throw new ArgumentNullException(nameof(verifier))), RequireNoOverride(options))
    {
    }

    /// <summary>The settings.</summary>
    public ConversionOptions Options => _options;

    /// <summary>Converts a record (read back from a records file, or made in memory): verifies its script and trajectory as read again first.</summary>
    /// <param name="record">The record.</param>
    /// <param name="cancellationToken">Cancels the verification.</param>
    /// <returns>The conversation, or the reason it is skipped.</returns>
    public ConversionOutcome Convert(SynthesisRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var where = record.Source is null ? $"Record {record.Id}" : $"{record.Source}: record {record.Id}";
        if (!record.IsAccepted)
        {
            return new ConversionOutcome(record.Id, null, ConversionOutcome.RejectedRecord, $"{where} has status '{record.StatusName}'.");
        }

        var result = RecordVerification.Verify(record, _verifiers, _options.MinErrorRefineTurns, cancellationToken);
        if (!result.IsAccepted)
        {
            var issue = result.Issues[0];
            return new ConversionOutcome(record.Id, null, issue.Code, $"{where} fails verification: [{issue.Code}] {issue.Message}");
        }

        return Convert(record.Id, record.ScriptRead.Script!, result.VerifiedTurns);
    }

    /// <summary>Converts a verified script and trajectory.</summary>
    /// <param name="id">The record id.</param>
    /// <param name="script">The script.</param>
    /// <param name="trajectory">The accepted trajectory (DM first, alternating, ending with the completing DM turn).</param>
    /// <returns>The conversation, or the reason it is skipped.</returns>
    public ConversionOutcome Convert(string id, Script script, Trajectory trajectory)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(trajectory);
        var messages = new List<TrainingMessage>(trajectory.Count + 1);
        if (_options.SystemPrompt is { } system)
        {
            messages.Add(new TrainingMessage(TrainingRole.System, system, false, []));
        }

        // Pairs (DM observation, Player turn, the DM reply that judges it); the final DM turn only judges.
        string? observation = trajectory.Count > 0 && trajectory[0] is DmTurn first ? _template.Render(script, first.Observation) : null;
        for (var i = 1; i + 1 < trajectory.Count; i += 2)
        {
            if (trajectory[i] is not PlayerTurn player || trajectory[i + 1] is not DmTurn reply || observation is null)
            {
                return new ConversionOutcome(id, null, VerificationIssueCodes.TurnOrder, $"Record {id}: the trajectory does not alternate DM and Player turns at turn {i}.");
            }

            var errors = reply.ErrorTypes;
            if (errors.Count > 0 && _options.Mode == ConversionMode.StripErroneous)
            {
                // Drop the mistake and the DM's error reply; the next Player turn answers the same observation.
                continue;
            }

            messages.Add(new TrainingMessage(TrainingRole.User, observation, false, []));
            messages.Add(new TrainingMessage(TrainingRole.Assistant, $"Thought: {player.Thought}\nAction: {player.Action}", errors.Count == 0 || _options.Mode == ConversionMode.TrainAll, errors));
            observation = reply.Observation;
        }

        var conversation = new TrainingConversation(id, messages);
        return conversation.TrainedTurns == 0
            ? new ConversionOutcome(id, null, ConversionOutcome.NoTrainedTurn, $"Record {id}: no assistant turn would be trained.")
            : new ConversionOutcome(id, conversation, null, null);
    }

    private static ConversionOptions? RequireNoOverride(ConversionOptions? options) =>
        options?.MinErrorRefineTurns is null
            ? options
            : throw new ArgumentException("ConversionOptions.MinErrorRefineTurns applies to a converter built on an IVerifierFactory; a converter built on one IVerifier uses that verifier's settings for every record.", nameof(options));
}
