using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace AgentRefine.Scoring;

/// <summary>
/// The episode <see cref="AgentBoardEvaluator"/> scores, passed in the <c>additionalContext</c> of
/// <see cref="IEvaluator.EvaluateAsync"/>. Its <see cref="EvaluationContext.Contents"/> hold one
/// <see cref="TextContent"/> with the episode's JSON line (<see cref="Scoring.Episode.ToJson"/>), so a
/// stored or reported evaluation records exactly what was scored; the evaluator reads <see cref="Episode"/>.
/// </summary>
public sealed class AgentBoardEpisodeContext : EvaluationContext
{
    /// <summary>The context's name (<see cref="EvaluationContext.Name"/>), also its key in <see cref="EvaluationMetric.Context"/>.</summary>
    public const string ContextName = "AgentBoard Episode";

    /// <summary>Creates the context.</summary>
    /// <param name="episode">The episode (a malformed one is accepted here and reported by the evaluator).</param>
    /// <exception cref="ArgumentNullException"><paramref name="episode"/> is <see langword="null"/>.</exception>
    public AgentBoardEpisodeContext(Episode episode)
        : base(ContextName, Serialize(episode))
    {
        Episode = episode;
    }

    /// <summary>The episode.</summary>
    public Episode Episode { get; }

    private static string Serialize(Episode episode)
    {
        ArgumentNullException.ThrowIfNull(episode);
        return episode.ToJson();
    }
}
