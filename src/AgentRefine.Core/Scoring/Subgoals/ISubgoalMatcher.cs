namespace AgentRefine.Scoring;

/// <summary>Decides whether a step reaches a subgoal. One implementation per AgentBoard rule family; a host adds its own.</summary>
public interface ISubgoalMatcher
{
    /// <summary>Whether <paramref name="episodeStep"/> (its <paramref name="observation"/>, or its facts) reaches <paramref name="subgoal"/>.</summary>
    /// <param name="subgoal">The subgoal as annotated.</param>
    /// <param name="episodeStep">The step.</param>
    /// <param name="observation">The observation to match (a task may have adjusted the step's own, e.g. BabyAI's completion text).</param>
    /// <returns>Whether it matches. Never throws for any input; a failure (such as a regex timeout) counts as no match.</returns>
    bool Matches(string subgoal, EpisodeStep episodeStep, string observation);
}
