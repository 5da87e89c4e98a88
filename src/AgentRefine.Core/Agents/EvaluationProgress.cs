namespace AgentRefine.Agents;

/// <summary>Where an evaluation run stands, reported after each episode.</summary>
/// <param name="Total">The episodes asked for.</param>
/// <param name="Skipped">Already in the output when the run started (resume).</param>
/// <param name="Finished">Run and written by this run (including those that ended by a failure).</param>
/// <param name="Failed">Written but ended by a model or environment failure (part of <paramref name="Finished"/>).</param>
/// <param name="NotRun">Could not run (the environment did not start them); not written, so a rerun retries them.</param>
/// <param name="Succeeded">Finished episodes the environment judged successful.</param>
public sealed record EvaluationProgress(int Total, int Skipped, int Finished, int Failed, int NotRun, int Succeeded);
