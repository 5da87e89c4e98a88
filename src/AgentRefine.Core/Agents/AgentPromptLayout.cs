namespace AgentRefine.Agents;

/// <summary>How the agent's prompt is laid out (see <c>docs/evaluation.md</c>).</summary>
public enum AgentPromptLayout
{
    /// <summary>
    /// A chat: the first user message rendered from the training rows' first-message template (goal,
    /// action list, <c>Thought:</c>/<c>Action:</c> format, first observation), then one assistant turn
    /// per step and the observation as the next user turn; the action is the reply's last <c>Action:</c> line.
    /// </summary>
    React,

    /// <summary>
    /// AgentBoard's act-only VanillaAgent prompt: a system message and one user message holding the
    /// instruction, the examples, the goal, the help-command hints and the <c>Observation:</c> /
    /// <c>Action:</c> history joined by newlines, ending <c>\nAction: </c>; temperature 0, stop at a
    /// newline, 100 new tokens; the action is parsed the way VanillaAgent parses it.
    /// </summary>
    AgentBoard,
}
