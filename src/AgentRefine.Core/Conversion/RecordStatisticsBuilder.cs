using AgentRefine.Synthesis;
using AgentRefine.Trajectories;
using AgentRefine.Verification;

namespace AgentRefine.Conversion;

/// <summary>Finds the facts of each line (<see cref="Examine"/>, thread-safe) and sums them in input order (<see cref="Add"/>) into <see cref="RecordStatistics"/>.</summary>
internal sealed class RecordStatisticsBuilder
{
    private readonly List<string> _examples = [];
    private readonly HashSet<string> _personas = new(StringComparer.Ordinal);
    private readonly HashSet<string> _goals = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _reasons = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _errorTypes = DmTurn.ErrorFlagKeys.ToDictionary(k => k, _ => 0L, StringComparer.Ordinal);
    private readonly Summary _turns = new();
    private readonly Summary _refinements = new();
    private readonly Summary _actions = new();
    private int _records, _accepted, _rejected, _unreadable, _failing, _duplicatePersonas, _duplicateGoals;

    /// <summary>The facts of one line: accepted records are verified again under their own settings.</summary>
    public static RecordFacts Examine(SynthesisRecordReadResult entry, IVerifierFactory verifiers, int? minErrorRefineTurns, CancellationToken cancellationToken)
    {
        if (entry.Record is not { } record)
        {
            return new RecordFacts(RecordFactKind.Unreadable, entry.Error, null, null, 0, 0, 0, 0, 0, 0);
        }

        var persona = record.Persona?.Text;
        if (!record.IsAccepted)
        {
            return new RecordFacts(RecordFactKind.Rejected, record.Reason ?? "unknown", persona, null, 0, 0, 0, 0, 0, 0);
        }

        var result = RecordVerification.Verify(record, verifiers, minErrorRefineTurns, cancellationToken);
        if (!result.IsAccepted)
        {
            return new RecordFacts(RecordFactKind.FailingVerification, null, persona, null, 0, 0, 0, 0, 0, 0);
        }

        int parameter = 0, place = 0, logic = 0;
        foreach (var dm in result.VerifiedTurns.OfType<DmTurn>())
        {
            parameter += dm.ParameterError ? 1 : 0;
            place += dm.PlaceError ? 1 : 0;
            logic += dm.LogicError ? 1 : 0;
        }

        var script = record.ScriptRead.Script!;
        return new RecordFacts(RecordFactKind.Verified, null, persona, script.Goal, result.KeptTurns, result.ErrorRefineTurns, script.AvailableActions.Count, parameter, place, logic);
    }

    /// <summary>Counts the next line's facts.</summary>
    public void Add(in RecordFacts facts)
    {
        if (facts.Kind == RecordFactKind.Unreadable)
        {
            if (_unreadable++ < RecordStatisticsCalculator.UnreadableExamplesKept && facts.Text is { } why)
            {
                _examples.Add(why);
            }

            return;
        }

        _records++;
        if (facts.Persona is { } persona && !_personas.Add(persona))
        {
            _duplicatePersonas++;
        }

        switch (facts.Kind)
        {
            case RecordFactKind.Rejected:
                _rejected++;
                _reasons[facts.Text!] = _reasons.GetValueOrDefault(facts.Text!) + 1;
                return;
            case RecordFactKind.FailingVerification:
                _accepted++;
                _failing++;
                return;
            default:
                break;
        }

        _accepted++;
        if (facts.Goal is { } goal && !_goals.Add(goal))
        {
            _duplicateGoals++;
        }

        _turns.Add(facts.Turns);
        _refinements.Add(facts.ErrorRefineTurns);
        _actions.Add(facts.Actions);
        _errorTypes[DmTurn.ParameterErrorKey] += facts.ParameterErrors;
        _errorTypes[DmTurn.PlaceErrorKey] += facts.PlaceErrors;
        _errorTypes[DmTurn.LogicErrorKey] += facts.LogicErrors;
    }

    public RecordStatistics Build() => new()
    {
        Records = _records,
        Accepted = _accepted,
        Rejected = _rejected,
        UnreadableLines = _unreadable,
        UnreadableExamples = _examples,
        AcceptedFailingVerification = _failing,
        Turns = _turns.Result,
        ErrorRefineTurns = _refinements.Result,
        ActionsPerScript = _actions.Result,
        ErrorTypes = _errorTypes,
        DuplicatePersonas = _duplicatePersonas,
        DuplicateGoals = _duplicateGoals,
        RejectedByReason = _reasons,
    };

    private sealed class Summary
    {
        private long _sum;
        private int _count;
        private int _min = int.MaxValue;
        private int _max;

        public (double Mean, int Min, int Max) Result => _count == 0 ? (0, 0, 0) : ((double)_sum / _count, _min, _max);

        public void Add(int value)
        {
            _sum += value;
            _count++;
            _min = Math.Min(_min, value);
            _max = Math.Max(_max, value);
        }
    }
}
