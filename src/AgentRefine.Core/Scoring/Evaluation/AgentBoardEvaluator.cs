using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace AgentRefine.Scoring;

/// <summary>
/// AgentBoard's per-episode metrics as a Microsoft.Extensions.AI.Evaluation <see cref="IEvaluator"/>:
/// <see cref="SuccessMetricName"/> (a <see cref="BooleanMetric"/>, interpreted as passed or failed),
/// <see cref="ProgressMetricName"/> and <see cref="GroundingMetricName"/> (<see cref="NumericMetric"/>s,
/// fractions in [0, 1]), each with a reason and the episode as its context. The episode comes in an
/// <see cref="AgentBoardEpisodeContext"/>; the messages and the model response are not read (the
/// episode is the agent's whole response), so the evaluator composes with others in a
/// <see cref="CompositeEvaluator"/>. It never throws on bad input: a missing context or a malformed
/// episode, or a task without a rule, yields metrics without values and an error diagnostic; scoring
/// problems (a subgoal pattern that does not compile or timed out) are warnings.
/// </summary>
/// <param name="scorer">The scorer; the default one (the five AgentBoard tasks) when <see langword="null"/>.</param>
public sealed class AgentBoardEvaluator(AgentBoardScorer? scorer = null) : IEvaluator
{
    /// <summary>The success metric's name.</summary>
    public const string SuccessMetricName = "Success";

    /// <summary>The progress-rate metric's name.</summary>
    public const string ProgressMetricName = "Progress Rate";

    /// <summary>The grounding-accuracy metric's name.</summary>
    public const string GroundingMetricName = "Grounding Accuracy";

    private readonly AgentBoardScorer _scorer = scorer ?? new AgentBoardScorer();

    /// <inheritdoc />
    public IReadOnlyCollection<string> EvaluationMetricNames { get; } = [SuccessMetricName, ProgressMetricName, GroundingMetricName];

    /// <inheritdoc />
    public ValueTask<EvaluationResult> EvaluateAsync(
        IEnumerable<ChatMessage> messages,
        ChatResponse modelResponse,
        ChatConfiguration? chatConfiguration = null,
        IEnumerable<EvaluationContext>? additionalContext = null,
        CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var contexts = additionalContext?.OfType<AgentBoardEpisodeContext>().Take(2).ToList() ?? [];
        if (contexts.Count != 1)
        {
            return ValueTask.FromResult(Failed(contexts.Count == 0
                ? $"no {nameof(AgentBoardEpisodeContext)} in the additional context (pass the episode as new {nameof(AgentBoardEpisodeContext)}(episode))"
                : $"more than one {nameof(AgentBoardEpisodeContext)} in the additional context (evaluate one episode at a time)", null));
        }

        var context = contexts[0];
        var episode = context.Episode;
        if (Problem(episode) is { } problem)
        {
            return ValueTask.FromResult(Failed(problem, context));
        }

        var score = _scorer.Score(episode);
        if (!score.IsScored)
        {
            return ValueTask.FromResult(Failed(score.Diagnostics[0], context));
        }

        var c = CultureInfo.InvariantCulture;
        var rises = score.ScoreChangeRecord.Count == 0 ? "it never rose" : "it rose at step" + (score.ScoreChangeRecord.Count > 1 ? "s " : " ") + string.Join(", ", score.ScoreChangeRecord.Select(r => r.Step.ToString(c)));
        var success = new BooleanMetric(SuccessMetricName, score.Success, string.Create(c, $"{(score.Success ? "Succeeded" : "Did not succeed")} by the {episode.Task} rule after {score.StepsTaken} steps."))
        {
            Interpretation = score.Success
                ? new EvaluationMetricInterpretation(EvaluationRating.Good, failed: false, "The episode met its task's success rule.")
                : new EvaluationMetricInterpretation(EvaluationRating.Unacceptable, failed: true, "The episode did not meet its task's success rule."),
        };
        var progress = new NumericMetric(ProgressMetricName, score.Progress, string.Create(c, $"Progress rate {score.Progress:0.###}; {rises}."));
        var grounding = new NumericMetric(GroundingMetricName, score.Grounding, string.Create(c, $"{Math.Round(score.Grounding * score.StepsTaken)} of {score.StepsTaken} steps were valid actions."));
        foreach (var metric in new EvaluationMetric[] { success, progress })
        {
            if (score.Diagnostics.Count > 0)
            {
                metric.AddDiagnostics(score.Diagnostics.Select(EvaluationDiagnostic.Warning));
            }
        }

        return ValueTask.FromResult(Result(context, success, progress, grounding));
    }

    /// <summary>What makes the episode unscorable, or <see langword="null"/> when nothing does.</summary>
    private static string? Problem(Episode episode) =>
        episode.Steps is null || episode.Subgoals is null || episode.Task is null ? "the episode has no task, subgoals or steps"
        : episode.Steps.Any(s => s is null || s.Action is null || s.Observation is null) ? "a step has no action or observation"
        : episode.Steps.Any(s => s.Facts is not null && s.Facts.Any(f => f is null)) ? "a step's facts include a null"
        : episode.Subgoals.Any(s => s is null) ? "a subgoal is null"
        : null;

    /// <summary>The three metrics without values, each with its own error diagnostic.</summary>
    private static EvaluationResult Failed(string message, AgentBoardEpisodeContext? context) =>
        Result(
            context,
            new BooleanMetric(SuccessMetricName) { Diagnostics = [EvaluationDiagnostic.Error(message)] },
            new NumericMetric(ProgressMetricName) { Diagnostics = [EvaluationDiagnostic.Error(message)] },
            new NumericMetric(GroundingMetricName) { Diagnostics = [EvaluationDiagnostic.Error(message)] });

    private static EvaluationResult Result(AgentBoardEpisodeContext? context, params EvaluationMetric[] metrics)
    {
        if (context is not null)
        {
            foreach (var metric in metrics)
            {
                metric.AddOrUpdateContext(context);
            }
        }

        return new EvaluationResult(metrics);
    }
}
