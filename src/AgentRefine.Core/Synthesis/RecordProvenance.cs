namespace AgentRefine.Synthesis;

/// <summary>Where a record came from: models, prompt versions, seed, calls.</summary>
/// <param name="Models">The model ids the responses reported, distinct, in order of first use.</param>
/// <param name="ScriptPromptVersion">The script prompt's version.</param>
/// <param name="TrajectoryPromptVersion">The trajectory prompt's version.</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="Calls">Generations used (at most the budget; transport retries excluded).</param>
/// <param name="Retries">Transport retries over all calls.</param>
/// <param name="CachedCalls">Calls answered by the response cache.</param>
/// <param name="PersonaSource">Where the persona was read (<c>file:line</c>).</param>
public sealed record RecordProvenance(
    IReadOnlyList<string> Models,
    string ScriptPromptVersion,
    string TrajectoryPromptVersion,
    int? Seed,
    int Calls,
    int Retries,
    int CachedCalls,
    string PersonaSource);
