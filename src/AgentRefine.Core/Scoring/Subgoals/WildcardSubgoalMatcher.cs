namespace AgentRefine.Scoring;

/// <summary>
/// BabyAI subgoals: the pattern, stripped, is split on <c>**</c> (on <c>*</c> when it has no <c>**</c>)
/// and each piece has its dots (only dots) stripped from both ends; the observation is split on
/// <c>.</c>; the subgoal matches when one of those sentences contains every piece (case-sensitive).
/// </summary>
public sealed class WildcardSubgoalMatcher : ISubgoalMatcher
{
    /// <inheritdoc />
    public bool Matches(string subgoal, EpisodeStep episodeStep, string observation)
    {
        ArgumentNullException.ThrowIfNull(subgoal);
        ArgumentNullException.ThrowIfNull(observation);
        var pattern = subgoal.Trim();
        var pieces = pattern.Split(pattern.Contains("**", StringComparison.Ordinal) ? "**" : "*").Select(p => p.Trim('.')).ToArray();
        foreach (var sentence in observation.Split('.'))
        {
            if (pieces.All(piece => sentence.Contains(piece, StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }
}
