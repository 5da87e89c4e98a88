using AgentRefine.Trajectories;

namespace AgentRefine.Synthesis;

/// <summary>Accumulates a run's statistics; thread-safe.</summary>
internal sealed class SynthesisStatisticsBuilder
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _reasons = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _errorTypes = DmTurn.ErrorFlagKeys.ToDictionary(k => k, _ => 0, StringComparer.Ordinal);
    private readonly Dictionary<string, string> _lastErrors = new(StringComparer.Ordinal);
    private int _failedCalls;
    private int _unfinished;
    private int _accepted;
    private int _rejected;
    private int _skipped;
    private int _calls;
    private int _retries;
    private int _cached;
    private long _input;
    private long _output;
    private long _cachedInput;
    private long _turns;
    private long _errorRefine;

    public SynthesisProgress Skip()
    {
        lock (_lock)
        {
            _skipped++;
            return Progress();
        }
    }

    public SynthesisProgress Add(SynthesisRecord record)
    {
        lock (_lock)
        {
            _calls += record.Provenance?.Calls ?? 0;
            _retries += record.Provenance?.Retries ?? 0;
            _cached += record.Provenance?.CachedCalls ?? 0;
            _input += record.Usage.InputTokens;
            _output += record.Usage.OutputTokens;
            _cachedInput += record.Usage.CachedInputTokens;
            foreach (var verdict in record.Verdicts)
            {
                if (verdict.Stage == SynthesisStage.Call)
                {
                    _failedCalls++;
                    _lastErrors[verdict.FailureKind ?? "other"] = verdict.FailureMessage ?? (verdict.Issues.Count > 0 ? verdict.Issues[0].Message : string.Empty);
                }
            }

            if (record.Status == SynthesisStatus.Unfinished)
            {
                _unfinished++;
            }
            else if (record.Status == SynthesisStatus.Accepted)
            {
                _accepted++;
                var trajectory = record.Trajectory ?? Trajectory.Empty;
                _turns += trajectory.Count;
                _errorRefine += record.Verdicts.Count > 0 ? record.Verdicts[^1].ErrorRefineTurns : 0;
                foreach (var type in trajectory.OfType<DmTurn>().SelectMany(dm => dm.ErrorTypes))
                {
                    _errorTypes[type]++;
                }
            }
            else
            {
                _rejected++;
                var reason = record.Reason ?? "unknown";
                _reasons[reason] = _reasons.GetValueOrDefault(reason) + 1;
            }

            return Progress();
        }
    }

    public SynthesisStatistics Build(TimeSpan elapsed, bool interrupted)
    {
        lock (_lock)
        {
            return new SynthesisStatistics
            {
                Written = _accepted + _rejected,
                Accepted = _accepted,
                Rejected = _rejected,
                Skipped = _skipped,
                Unfinished = _unfinished,
                RejectedByReason = new Dictionary<string, int>(_reasons, StringComparer.Ordinal),
                Calls = _calls,
                Retries = _retries,
                FailedCalls = _failedCalls,
                LastErrorByKind = new SortedDictionary<string, string>(_lastErrors, StringComparer.Ordinal),
                CachedCalls = _cached,
                Usage = new TokenUsage(_input, _output) { CachedInputTokens = _cachedInput },
                AverageTurns = _accepted == 0 ? 0 : (double)_turns / _accepted,
                AverageErrorRefineTurns = _accepted == 0 ? 0 : (double)_errorRefine / _accepted,
                ErrorTypes = new Dictionary<string, int>(_errorTypes, StringComparer.Ordinal),
                Elapsed = elapsed,
                Interrupted = interrupted,
            };
        }
    }

    private SynthesisProgress Progress() => new(_accepted + _rejected, _accepted, _rejected, _skipped, _calls);
}
