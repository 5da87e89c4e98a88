using AgentRefine.Json;
using AgentRefine.Llm;
using Microsoft.Extensions.AI;

namespace AgentRefine.Trajectories;

/// <summary>
/// The default simulator: one chat call in which the model plays the Dungeon Master (think, observe,
/// evaluate parameter / place / logic errors, judge completion) and the Player (ReAct), with one
/// example game in the prompt (embedded, versioned as <see cref="CurrentPromptVersion"/>). A
/// continuation sends the script, the verified prefix and the verifier's feedback and asks only for
/// the turns that follow.
/// </summary>
public sealed class LlmTrajectorySimulator : ITrajectorySimulator
{
    /// <summary>The prompt version this class sends.</summary>
    public const string CurrentPromptVersion = "trajectory-v1";

    private readonly IChatClient _chatClient;
    private readonly GenerationOptions _options;
    private readonly JsonReadLimits _limits;
    private readonly string _systemPrompt;

    /// <summary>Creates the simulator.</summary>
    /// <param name="chatClient">The model.</param>
    /// <param name="options">Sampling settings (copied); defaults when <see langword="null"/>.</param>
    /// <param name="minErrorRefineTurns">The number of corrected mistakes the prompt asks for (the verifier's minimum; at least 1 is always asked for). Default 2.</param>
    /// <param name="limits">Read limits for the reply; defaults when <see langword="null"/>.</param>
    public LlmTrajectorySimulator(IChatClient chatClient, GenerationOptions? options = null, int minErrorRefineTurns = 2, JsonReadLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(chatClient);
        ArgumentOutOfRangeException.ThrowIfNegative(minErrorRefineTurns);
        _chatClient = chatClient;
        _options = options?.Clone() ?? new GenerationOptions { MaxOutputTokens = 8_192 };
        _limits = limits ?? JsonReadLimits.Shared;
        _systemPrompt = BuildSystemPrompt(minErrorRefineTurns);
    }

    /// <inheritdoc />
    public string PromptVersion => CurrentPromptVersion;

    /// <summary>The system prompt sent with every request.</summary>
    public string SystemPrompt => _systemPrompt;

    /// <inheritdoc />
    public async Task<TrajectorySimulation> SimulateAsync(TrajectorySimulationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = ChatRequestFactory.CreateOptions(_options, AgentRefineChatRoles.Trajectory, request.Attempt, request.RecordId, "trajectory-schema.json", "agentrefine_trajectory");
        var response = await _chatClient.GetResponseAsync(BuildMessages(request), options, cancellationToken).ConfigureAwait(false);
        var text = response.Text ?? string.Empty;
        return new TrajectorySimulation(TrajectoryReader.Read(text, _limits), text, LlmCall.FromResponse(AgentRefineChatRoles.Trajectory, CurrentPromptVersion, response));
    }

    /// <summary>The messages sent for a request.</summary>
    /// <param name="request">The request.</param>
    /// <returns>The system prompt and one user message.</returns>
    public IReadOnlyList<ChatMessage> BuildMessages(TrajectorySimulationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var user = $"Script:\n{request.Script.ToJson(indented: true)}\n\n";
        if (request.IsContinuation)
        {
            var last = request.Prefix![^1];
            var nextRole = last.Role == TurnRole.DM ? "Player" : "DM";
            user += $"The game so far, already verified (do not repeat it):\n{request.Prefix.ToJson(indented: true)}\n\n"
                + (request.Feedback is { } feedback ? $"The verifier says:\n{feedback}\n\n" : string.Empty)
                + $"Continue the game: return only the turns that follow, starting with turn {(long)last.Number + 1} ({nextRole}), as {{\"turns\": [...]}}.";
        }
        else
        {
            user += request.Feedback is { } feedback
                ? $"A previous game on this script was rejected:\n{feedback}\n\nPlay a new game on this script from the first turn."
                : "Play the whole game on this script.";
        }

        return [new ChatMessage(ChatRole.System, _systemPrompt), new ChatMessage(ChatRole.User, user)];
    }

    private static string BuildSystemPrompt(int minErrorRefineTurns)
    {
        var example = PromptResources.Json("script-example-1.json").GetProperty("Script").GetRawText().Trim();
        var game = PromptResources.Text("trajectory-example.json").Trim();
        return PromptResources.Text("trajectory-system-v1.md")
            .Replace("{{MIN_ERROR_REFINE}}", Math.Max(1, minErrorRefineTurns).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{{EXAMPLE_SCRIPT}}", example, StringComparison.Ordinal)
            .Replace("{{EXAMPLE_TRAJECTORY}}", game, StringComparison.Ordinal)
            .TrimEnd();
    }
}
