using System.Globalization;

namespace AgentRefine.Scoring;

/// <summary>
/// AgentBoard's per-episode metrics behind <see cref="IAgentEvaluator"/>: <see cref="SuccessMetricName"/>
/// (boolean), <see cref="ProgressMetricName"/> and <see cref="GroundingMetricName"/> (fractions), each
/// with a reason; scoring problems become diagnostics, never exceptions.
/// </summary>
/// <param name="scorer">The scorer; the default one when <see langword="null"/>.</param>
public sealed class AgentBoardEvaluator(AgentBoardScorer? scorer = null) : IAgentEvaluator
{
    /// <summary>The success metric's name.</summary>
    public const string SuccessMetricName = "Success";

    /// <summary>The progress-rate metric's name.</summary>
    public const string ProgressMetricName = "Progress Rate";

    /// <summary>The grounding-accuracy metric's name.</summary>
    public const string GroundingMetricName = "Grounding Accuracy";

    private readonly AgentBoardScorer _scorer = scorer ?? new AgentBoardScorer();

    /// <inheritdoc />
    public IReadOnlyCollection<string> MetricNames { get; } = [SuccessMetricName, ProgressMetricName, GroundingMetricName];

    /// <inheritdoc />
    public ValueTask<AgentEvaluationResult> EvaluateAsync(Episode? episode, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var problem = episode is null ? "no episode was given"
            : episode.Steps is null || episode.Subgoals is null || episode.Task is null ? "the episode has no task, subgoals or steps"
            : episode.Steps.Any(s => s is null || s.Action is null || s.Observation is null) ? "a step has no action or observation"
            : episode.Subgoals.Any(s => s is null) ? "a subgoal is null"
            : null;
        if (problem is not null)
        {
            return ValueTask.FromResult(Failed(problem));
        }

        var score = _scorer.Score(episode!);
        if (!score.IsScored)
        {
            return ValueTask.FromResult(Failed(score.Diagnostics[0]));
        }

        var warnings = score.Diagnostics.Select(d => new AgentEvaluationDiagnostic(AgentDiagnosticSeverity.Warning, d)).ToArray();
        var c = CultureInfo.InvariantCulture;
        var rises = score.ScoreChangeRecord.Count == 0 ? "it never rose" : "it rose at step" + (score.ScoreChangeRecord.Count > 1 ? "s " : " ") + string.Join(", ", score.ScoreChangeRecord.Select(r => r.Step.ToString(c)));
        var metrics = new AgentEvaluationMetric[]
        {
            new AgentBooleanMetric(SuccessMetricName, score.Success, string.Create(c, $"{(score.Success ? "Succeeded" : "Did not succeed")} by the {episode!.Task} rule after {score.StepsTaken} steps."), warnings),
            new AgentNumericMetric(ProgressMetricName, score.Progress, string.Create(c, $"Progress rate {score.Progress:0.###}; {rises}."), warnings),
            new AgentNumericMetric(GroundingMetricName, score.Grounding, string.Create(c, $"{Math.Round(score.Grounding * score.StepsTaken)} of {score.StepsTaken} steps were valid actions."), []),
        };
        return ValueTask.FromResult(new AgentEvaluationResult(metrics.ToDictionary(m => m.Name, StringComparer.Ordinal)));
    }

    private static AgentEvaluationResult Failed(string message)
    {
        AgentEvaluationDiagnostic[] error = [new(AgentDiagnosticSeverity.Error, message)];
        return new AgentEvaluationResult(new Dictionary<string, AgentEvaluationMetric>(StringComparer.Ordinal)
        {
            [SuccessMetricName] = new AgentBooleanMetric(SuccessMetricName, null, null, error),
            [ProgressMetricName] = new AgentNumericMetric(ProgressMetricName, null, null, error),
            [GroundingMetricName] = new AgentNumericMetric(GroundingMetricName, null, null, error),
        });
    }
}
