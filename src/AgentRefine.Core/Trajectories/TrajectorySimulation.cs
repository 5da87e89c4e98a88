using AgentRefine.Llm;

namespace AgentRefine.Trajectories;

/// <summary>A simulated game: the turns the model returned (only the new ones, for a continuation), the reply, and the call's cost.</summary>
/// <param name="Read">The turns read from the reply, with the point where its JSON broke, if it did.</param>
/// <param name="Text">The reply's text.</param>
/// <param name="Call">The call's model, usage and retries.</param>
public sealed record TrajectorySimulation(TrajectoryReadResult Read, string Text, LlmCall Call);
