namespace AgentRefine.Agents;

/// <summary>One step of the agent's history, as the prompt layouts show it.</summary>
/// <param name="Reply">The agent's reply (the assistant turn of the <c>react</c> layout).</param>
/// <param name="Action">The action parsed from it (the <c>Action:</c> line of the <c>agentboard</c> layout), empty when none was found.</param>
/// <param name="Observation">What answered it.</param>
internal sealed record AgentHistoryEntry(string Reply, string Action, string Observation);
