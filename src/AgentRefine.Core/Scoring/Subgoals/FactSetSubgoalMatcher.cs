namespace AgentRefine.Scoring;

/// <summary>PDDL goal facts: a goal fact is reached when it is among the facts true after the step (ordinal, trimmed, white space folded).</summary>
public sealed class FactSetSubgoalMatcher : ISubgoalMatcher
{
    /// <summary>Folds runs of white space to one space and trims, so <c>(on  a b)</c> equals <c>(on a b)</c>.</summary>
    /// <param name="fact">The fact.</param>
    /// <returns>The folded fact.</returns>
    public static string Fold(string fact)
    {
        ArgumentNullException.ThrowIfNull(fact);
        return string.Join(' ', fact.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    /// <inheritdoc />
    public bool Matches(string subgoal, EpisodeStep episodeStep, string observation)
    {
        ArgumentNullException.ThrowIfNull(subgoal);
        ArgumentNullException.ThrowIfNull(episodeStep);
        var goal = Fold(subgoal);
        return episodeStep.Facts is { } facts && facts.Any(f => string.Equals(Fold(f), goal, StringComparison.Ordinal));
    }
}
