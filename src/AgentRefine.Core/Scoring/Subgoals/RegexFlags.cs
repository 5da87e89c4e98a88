namespace AgentRefine.Scoring;

/// <summary>Sticky regex flags of one episode (Alfworld, ScienceWorld).</summary>
internal sealed class RegexFlags(IReadOnlyList<string> subgoals)
{
    private readonly bool[] _set = new bool[subgoals.Count];
    private readonly RegexSubgoalMatcher _matcher = new();

    public int Total => _set.Length;

    public int Count { get; private set; }

    public IReadOnlyList<string> Problems => [.. _matcher.Problems.Distinct(StringComparer.Ordinal)];

    public void Update(EpisodeStep step)
    {
        for (var j = 0; j < _set.Length; j++)
        {
            if (!_set[j] && _matcher.Matches(subgoals[j], step, step.Observation))
            {
                _set[j] = true;
                Count++;
            }
        }
    }
}
