namespace AgentRefine.Scoring;

/// <summary>
/// One episode as AgentBoard logged it. AgentBoard overwrites turn 0's first observation with the one
/// after the first action, so each turn's observation is the answer to that turn's action.
/// </summary>
/// <param name="Run">The run name.</param>
/// <param name="Task">The task (<c>task_name</c>).</param>
/// <param name="Id">The task instance id.</param>
/// <param name="Difficulty">The difficulty label.</param>
/// <param name="Goal">The goal.</param>
/// <param name="IsDone">AgentBoard's <c>is_done</c> (its success).</param>
/// <param name="ProgressRate">AgentBoard's <c>progress_rate</c>.</param>
/// <param name="GroundingAccuracy">AgentBoard's <c>grounding_acc</c>.</param>
/// <param name="ScoreChangeRecord">AgentBoard's <c>score_change_record</c>.</param>
/// <param name="Turns">The turns in order: action and the observation that answered it.</param>
public sealed record AgentBoardLogEntry(
    string Run,
    string Task,
    long Id,
    string? Difficulty,
    string Goal,
    bool IsDone,
    double ProgressRate,
    double GroundingAccuracy,
    IReadOnlyList<ProgressChange> ScoreChangeRecord,
    IReadOnlyList<(string Action, string Observation)> Turns)
{
    /// <summary>The entry's score as AgentBoard computed it: success is <c>is_done</c>; progress, grounding and the change record as logged.</summary>
    /// <returns>The score; its long-range curve is rebuilt from the change record.</returns>
    public EpisodeScore ToScore()
    {
        var curve = new double[TaskScorer.CurveSteps];
        double progress = 0;
        for (var k = 0; k < curve.Length; k++)
        {
            foreach (var change in ScoreChangeRecord)
            {
                if (change.Step == k)
                {
                    progress = Math.Max(progress, change.Progress);
                }
            }

            curve[k] = k >= Turns.Count - 1 ? Math.Max(progress, ProgressRate) : progress;
        }

        return new EpisodeScore
        {
            Run = Run,
            Task = Task,
            Id = Id,
            Difficulty = Difficulty,
            Success = IsDone,
            Progress = ProgressRate,
            Grounding = GroundingAccuracy,
            StepsTaken = Turns.Count,
            ScoreChangeRecord = ScoreChangeRecord,
            ProgressByStep = curve,
        };
    }

    /// <summary>
    /// The logged turns as an <see cref="Episode"/> with the task file's subgoals, to recompute progress
    /// with this library's rules (per-step validity and facts are not logged: steps count as valid and
    /// the last one carries <c>is_done</c>).
    /// </summary>
    /// <param name="subgoals">The subgoals from the task file.</param>
    /// <returns>The episode.</returns>
    public Episode ToEpisode(IReadOnlyList<string> subgoals) =>
        new(Run, Task, Id, Difficulty, Goal, subgoals, Turns.Select((t, i) => new EpisodeStep(t.Action, t.Observation, true, IsDone && i == Turns.Count - 1)).ToArray());
}
