using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace AgentRefine.Scoring;

/// <summary>Evaluates an <see cref="Episode"/> with any <see cref="IEvaluator"/>: <see cref="AgentBoardEvaluator"/> alone or composed in a <see cref="CompositeEvaluator"/>.</summary>
public static class EpisodeEvaluatorExtensions
{
    /// <summary>
    /// Evaluates an episode. The episode is passed as an <see cref="AgentBoardEpisodeContext"/> (after
    /// <paramref name="additionalContext"/>) and as a conversation for evaluators that read one: the
    /// messages are the goal as a user message; the model response is the agent's episode, each step
    /// as an assistant message (the action) followed by a user message (the observation).
    /// </summary>
    /// <param name="evaluator">The evaluator.</param>
    /// <param name="episode">The episode (a malformed one is reported in the metrics' diagnostics, not thrown).</param>
    /// <param name="chatConfiguration">The chat configuration, for evaluators that call a model; none when <see langword="null"/>.</param>
    /// <param name="additionalContext">More context for the other evaluators.</param>
    /// <param name="cancellationToken">Cancels the evaluation.</param>
    /// <returns>The metrics of every evaluator.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="evaluator"/> or <paramref name="episode"/> is <see langword="null"/>.</exception>
    public static ValueTask<EvaluationResult> EvaluateAsync(
        this IEvaluator evaluator,
        Episode episode,
        ChatConfiguration? chatConfiguration = null,
        IEnumerable<EvaluationContext>? additionalContext = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(evaluator);
        ArgumentNullException.ThrowIfNull(episode);
        EvaluationContext[] contexts = [.. additionalContext ?? [], new AgentBoardEpisodeContext(episode)];
        return evaluator.EvaluateAsync([new ChatMessage(ChatRole.User, episode.Goal)], Response(episode), chatConfiguration, contexts, cancellationToken);
    }

    /// <summary>The episode as the agent's response: per step, the action (assistant) and the observation (user); null steps skipped.</summary>
    private static ChatResponse Response(Episode episode) =>
        new((episode.Steps ?? []).Where(s => s is not null).SelectMany(s => new[] { new ChatMessage(ChatRole.Assistant, s.Action), new ChatMessage(ChatRole.User, s.Observation) }).ToList());
}
