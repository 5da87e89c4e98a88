namespace AgentRefine.Synthesis;

/// <summary>A progress report of a run, sent after each record is written and each persona skipped.</summary>
/// <param name="Written">Records written in this run.</param>
/// <param name="Accepted">Accepted records written in this run.</param>
/// <param name="Rejected">Rejected records written in this run.</param>
/// <param name="Skipped">Personas skipped because their record was already stored.</param>
/// <param name="Calls">LLM generations made in this run.</param>
public sealed record SynthesisProgress(int Written, int Accepted, int Rejected, int Skipped, int Calls);
