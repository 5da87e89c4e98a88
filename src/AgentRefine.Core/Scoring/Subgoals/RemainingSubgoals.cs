namespace AgentRefine.Scoring;

/// <summary>
/// One episode's subgoals awarded one per step (BabyAI, Jericho): the first remaining subgoal, in list
/// order, that matches scores a point and is removed. The state of <see cref="BabyAIScorer"/> and
/// <see cref="JerichoScorer"/>, and a building block for a host's own <see cref="TaskScorer{TState}"/>.
/// </summary>
public sealed class RemainingSubgoals
{
    private readonly List<string> _remaining;
    private readonly ISubgoalMatcher _matcher;

    /// <summary>Creates the state, every subgoal remaining.</summary>
    /// <param name="subgoals">The subgoals, in order.</param>
    /// <param name="matcher">Decides whether a step reaches a subgoal.</param>
    public RemainingSubgoals(IReadOnlyList<string> subgoals, ISubgoalMatcher matcher)
    {
        ArgumentNullException.ThrowIfNull(subgoals);
        ArgumentNullException.ThrowIfNull(matcher);
        _remaining = [.. subgoals];
        _matcher = matcher;
        Total = subgoals.Count;
    }

    /// <summary>The original number of subgoals (K).</summary>
    public int Total { get; }

    /// <summary>The points awarded so far.</summary>
    public int Points { get; private set; }

    /// <summary><see cref="Points"/> / <see cref="Total"/>; 0 without subgoals.</summary>
    public double Rate => Total == 0 ? 0 : (double)Points / Total;

    /// <summary>Awards at most one point: the first remaining subgoal that matches is removed.</summary>
    /// <param name="episodeStep">The step.</param>
    /// <param name="observation">The observation to match (the task may have adjusted the step's own).</param>
    public void Award(EpisodeStep episodeStep, string observation)
    {
        for (var j = 0; j < _remaining.Count; j++)
        {
            if (_matcher.Matches(_remaining[j], episodeStep, observation))
            {
                _remaining.RemoveAt(j);
                Points++;
                return;
            }
        }
    }
}
