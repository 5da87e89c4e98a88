using AgentRefine.Json;
using AgentRefine.Synthesis;
using AgentRefine.Trajectories;
using AgentRefine.Verification;

namespace AgentRefine.Conversion;

/// <summary>
/// Computes <see cref="RecordStatistics"/> over a records file, streaming. Accepted records are
/// verified again, each under the settings it was accepted under (as <see cref="RefinementTuningConverter"/> does).
/// </summary>
public static class RecordStatisticsCalculator
{
    /// <summary>How many unreadable lines keep their message in <see cref="RecordStatistics.UnreadableExamples"/>: 5.</summary>
    public const int UnreadableExamplesKept = 5;

    /// <summary>Computes the statistics, verifying every accepted record with one verifier whatever its provenance says.</summary>
    /// <param name="path">The records file.</param>
    /// <param name="verifier">The verifier.</param>
    /// <param name="limits">Read limits; defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the computation.</param>
    /// <returns>The statistics.</returns>
    public static Task<RecordStatistics> ComputeAsync(string path, IVerifier verifier, JsonReadLimits? limits = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        return ComputeAsync(path, new SingleVerifierFactory(verifier), null, limits, cancellationToken);
    }

    /// <summary>Computes the statistics, verifying each accepted record under its own settings.</summary>
    /// <param name="path">The records file.</param>
    /// <param name="verifiers">Makes the verifier for each record's settings: its provenance's, else the factory's defaults.</param>
    /// <param name="minErrorRefineTurns">The fewest error-refine turns every record must have, whatever its provenance says; <see langword="null"/> for each record's own.</param>
    /// <param name="limits">Read limits; defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the computation.</param>
    /// <returns>The statistics.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minErrorRefineTurns"/> is negative.</exception>
    public static Task<RecordStatistics> ComputeAsync(string path, IVerifierFactory verifiers, int? minErrorRefineTurns = null, JsonReadLimits? limits = null, CancellationToken cancellationToken = default) =>
        ComputeAsync(SynthesisRecordReader.ReadAsync(path, limits, cancellationToken), verifiers, minErrorRefineTurns, cancellationToken);

    /// <summary>Computes the statistics of records from any source, verifying each accepted record under its own settings.</summary>
    /// <param name="entries">The records as read (for example <see cref="SynthesisRecordReader.ReadAsync(Stream, string, JsonReadLimits?, CancellationToken)"/>).</param>
    /// <param name="verifiers">Makes the verifier for each record's settings: its provenance's, else the factory's defaults.</param>
    /// <param name="minErrorRefineTurns">The fewest error-refine turns every record must have, whatever its provenance says; <see langword="null"/> for each record's own.</param>
    /// <param name="cancellationToken">Cancels the computation.</param>
    /// <returns>The statistics.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minErrorRefineTurns"/> is negative.</exception>
    public static async Task<RecordStatistics> ComputeAsync(IAsyncEnumerable<SynthesisRecordReadResult> entries, IVerifierFactory verifiers, int? minErrorRefineTurns = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(verifiers);
        if (minErrorRefineTurns is { } minimum)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(minimum, nameof(minErrorRefineTurns));
        }

        var examples = new List<string>();
        var personas = new HashSet<string>(StringComparer.Ordinal);
        var goals = new HashSet<string>(StringComparer.Ordinal);
        var reasons = new Dictionary<string, int>(StringComparer.Ordinal);
        var errorTypes = DmTurn.ErrorFlagKeys.ToDictionary(k => k, _ => 0L, StringComparer.Ordinal);
        var turns = new Summary();
        var refinements = new Summary();
        var actions = new Summary();
        int records = 0, accepted = 0, rejected = 0, unreadable = 0, failing = 0, duplicatePersonas = 0, duplicateGoals = 0;
        await foreach (var entry in entries.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (entry.Record is not { } record)
            {
                if (unreadable++ < UnreadableExamplesKept && entry.Error is { } why)
                {
                    examples.Add(why);
                }

                continue;
            }

            records++;
            if (record.Persona is { } persona && !personas.Add(persona.Text))
            {
                duplicatePersonas++;
            }

            if (!record.IsAccepted)
            {
                rejected++;
                var reason = record.Reason ?? "unknown";
                reasons[reason] = reasons.GetValueOrDefault(reason) + 1;
                continue;
            }

            accepted++;
            var result = RecordVerification.Verify(record, verifiers, minErrorRefineTurns, cancellationToken);
            if (!result.IsAccepted)
            {
                failing++;
                continue;
            }

            var script = record.ScriptRead.Script!;
            if (script.Goal is { } goal && !goals.Add(goal))
            {
                duplicateGoals++;
            }

            turns.Add(result.KeptTurns);
            refinements.Add(result.ErrorRefineTurns);
            actions.Add(script.AvailableActions.Count);
            foreach (var type in result.VerifiedTurns.OfType<DmTurn>().SelectMany(dm => dm.ErrorTypes))
            {
                errorTypes[type]++;
            }
        }

        return new RecordStatistics
        {
            Records = records,
            Accepted = accepted,
            Rejected = rejected,
            UnreadableLines = unreadable,
            UnreadableExamples = examples,
            AcceptedFailingVerification = failing,
            Turns = turns.Result,
            ErrorRefineTurns = refinements.Result,
            ActionsPerScript = actions.Result,
            ErrorTypes = errorTypes,
            DuplicatePersonas = duplicatePersonas,
            DuplicateGoals = duplicateGoals,
            RejectedByReason = reasons,
        };
    }

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
