using AgentRefine.Llm;

namespace AgentRefine.Scripts;

/// <summary>A generated script: what the model wrote, how it read, and what the call cost.</summary>
/// <param name="Read">The script as read from the reply (or why it could not be read).</param>
/// <param name="Text">The reply's text.</param>
/// <param name="Call">The call's model, usage and retries.</param>
public sealed record ScriptGeneration(ScriptReadResult Read, string Text, LlmCall Call);
