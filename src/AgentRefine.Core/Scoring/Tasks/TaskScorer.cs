namespace AgentRefine.Scoring;

/// <summary>
/// A task's AgentBoard scoring rule, as <see cref="AgentBoardScorer"/> holds it by task name. Derive
/// from <see cref="TaskScorer{TState}"/> to add a task: it runs the step loop every task shares.
/// </summary>
public abstract class TaskScorer
{
    /// <summary>The length of the long-range curve (AgentBoard's step limit).</summary>
    public const int CurveSteps = 30;

    /// <summary>Only <see cref="TaskScorer{TState}"/> derives from this class.</summary>
    private protected TaskScorer()
    {
    }

    /// <summary>The task name this scorer handles.</summary>
    public abstract string Task { get; }

    /// <summary>Scores an episode. Never throws for any episode content.</summary>
    /// <param name="episode">The episode.</param>
    /// <returns>The score.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="episode"/> is <see langword="null"/>.</exception>
    public abstract EpisodeScore Score(Episode episode);
}
