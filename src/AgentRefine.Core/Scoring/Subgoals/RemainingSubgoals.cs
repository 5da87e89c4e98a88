namespace AgentRefine.Scoring;

/// <summary>Subgoals awarded one per step, first remaining match in list order, then removed (BabyAI, Jericho).</summary>
internal sealed class RemainingSubgoals(IReadOnlyList<string> subgoals, ISubgoalMatcher matcher)
{
    private readonly List<string> _remaining = [.. subgoals];

    public int Total { get; } = subgoals.Count;

    public int Points { get; private set; }

    /// <summary>Awards at most one point: the first remaining subgoal that matches is removed.</summary>
    public void Award(EpisodeStep step, string observation)
    {
        for (var j = 0; j < _remaining.Count; j++)
        {
            if (matcher.Matches(_remaining[j], step, observation))
            {
                _remaining.RemoveAt(j);
                Points++;
                return;
            }
        }
    }

    public double Rate => Total == 0 ? 0 : (double)Points / Total;
}
