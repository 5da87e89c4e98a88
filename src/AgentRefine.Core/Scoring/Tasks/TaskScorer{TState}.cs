namespace AgentRefine.Scoring;

/// <summary>
/// The step loop every AgentBoard task shares: after each step the task's rule proposes a progress
/// rate and says whether the episode is done; the rate never falls, each strict rise is recorded in
/// <c>score_change_record</c>, and the episode ends at the step where it is done (later steps are
/// ignored) or at its last step. Derive from it to add a task.
/// </summary>
/// <typeparam name="TState">The per-episode state (flags, remaining subgoals, goal facts) the task's rule keeps between steps.</typeparam>
#pragma warning disable RS0022 // By design: TaskScorer is derived only through TaskScorer<TState>, whose protected members are the task seam.
public abstract class TaskScorer<TState> : TaskScorer
#pragma warning restore RS0022
{
    /// <inheritdoc />
    public sealed override EpisodeScore Score(Episode episode)
    {
        ArgumentNullException.ThrowIfNull(episode);
        var state = Begin(episode);
        double progress = 0;
        var changes = new List<ProgressChange>();
        var curve = new double[CurveSteps];
        var valid = 0;
        var taken = 0;
        var success = false;
        for (var i = 0; i < episode.Steps.Count; i++)
        {
            var step = episode.Steps[i];
            taken++;
            valid += step.Valid ? 1 : 0;
            var (proposed, done, succeeded) = ApplyStep(state, i, step, progress);
            if (proposed > progress)
            {
                progress = proposed;
                changes.Add(new ProgressChange(i, progress));
            }

            if (i < CurveSteps)
            {
                curve[i] = progress;
            }

            success = succeeded;
            if (done)
            {
                break;
            }
        }

        for (var i = taken; i < CurveSteps; i++)
        {
            curve[i] = progress;
        }

        return new EpisodeScore
        {
            Run = episode.Run,
            Task = episode.Task,
            Id = episode.Id,
            Difficulty = episode.Difficulty,
            Success = success,
            Progress = progress,
            Grounding = taken == 0 ? 0 : (double)valid / taken,
            StepsTaken = taken,
            ScoreChangeRecord = changes,
            ProgressByStep = curve,
            Diagnostics = Diagnostics(state),
        };
    }

    /// <summary>Creates the per-episode state.</summary>
    /// <param name="episode">The episode.</param>
    /// <returns>The state, passed to <see cref="ApplyStep"/> and <see cref="Diagnostics"/>.</returns>
    protected abstract TState Begin(Episode episode);

    /// <summary>Applies one step.</summary>
    /// <param name="state">The per-episode state from <see cref="Begin"/>.</param>
    /// <param name="index">The 0-based step index.</param>
    /// <param name="episodeStep">The step.</param>
    /// <param name="progress">The progress rate before the step.</param>
    /// <returns>The proposed progress rate, whether the episode is done, and whether it has succeeded.</returns>
    protected abstract (double Progress, bool Done, bool Success) ApplyStep(TState state, int index, EpisodeStep episodeStep, double progress);

    /// <summary>Problems met while scoring the episode. Default: none.</summary>
    /// <param name="state">The per-episode state, after the last step applied.</param>
    /// <returns>The problems.</returns>
    protected virtual IReadOnlyList<string> Diagnostics(TState state) => [];
}
