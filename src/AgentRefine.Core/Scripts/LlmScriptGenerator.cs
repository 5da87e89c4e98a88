using AgentRefine.Json;
using System.Text;
using AgentRefine.Llm;
using Microsoft.Extensions.AI;

namespace AgentRefine.Scripts;

/// <summary>
/// The default script writer: one chat call whose system prompt explains the paper's script format
/// and shows three example scripts (embedded, versioned as <see cref="CurrentPromptVersion"/>). On a
/// regeneration the failed script and the verifier's feedback are part of the conversation. The
/// reply's JSON is requested through <see cref="ChatOptions.ResponseFormat"/> and still read tolerantly.
/// </summary>
public sealed class LlmScriptGenerator : IScriptGenerator
{
    /// <summary>The prompt version this class sends.</summary>
    public const string CurrentPromptVersion = "script-v1";

    /// <summary>The number of example scripts in the prompt.</summary>
    public const int ExampleCount = 3;

    private static readonly Lazy<string> SystemPrompt = new(BuildSystemPrompt);
    private readonly IChatClient _chatClient;
    private readonly GenerationOptions _options;
    private readonly JsonReadLimits _limits;

    /// <summary>Creates the generator.</summary>
    /// <param name="chatClient">The model.</param>
    /// <param name="options">Sampling settings (copied); defaults when <see langword="null"/>.</param>
    /// <param name="limits">Read limits for the reply; defaults when <see langword="null"/>.</param>
    public LlmScriptGenerator(IChatClient chatClient, GenerationOptions? options = null, JsonReadLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(chatClient);
        _chatClient = chatClient;
        _options = options?.Clone() ?? new GenerationOptions();
        _limits = limits ?? JsonReadLimits.Shared;
    }

    /// <inheritdoc />
    public string PromptVersion => CurrentPromptVersion;

    /// <inheritdoc />
    public async Task<ScriptGeneration> GenerateAsync(ScriptGenerationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = ChatRequestFactory.CreateOptions(_options, AgentRefineChatRoles.Script, request.Attempt, request.RecordId, "script-schema.json", "agentrefine_script");
        var response = await _chatClient.GetResponseAsync(BuildMessages(request), options, cancellationToken).ConfigureAwait(false);
        var text = response.Text ?? string.Empty;
        return new ScriptGeneration(ScriptReader.Read(text, _limits), text, LlmCall.FromResponse(AgentRefineChatRoles.Script, CurrentPromptVersion, response));
    }

    /// <summary>The messages sent for a request: system prompt with the examples, the persona, and on a regeneration the failed script and the feedback.</summary>
    /// <param name="request">The request.</param>
    /// <returns>The messages.</returns>
    public static IReadOnlyList<ChatMessage> BuildMessages(ScriptGenerationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var messages = new List<ChatMessage>
        {
            new(ChatRole.System, SystemPrompt.Value),
            new(ChatRole.User, $"Persona: {request.Persona.Text}\n\nWrite the script for this persona."),
        };
        if (request.Previous is { } previous && request.Feedback is { } feedback)
        {
            messages.Add(new ChatMessage(ChatRole.Assistant, previous.Text));
            messages.Add(new ChatMessage(ChatRole.User, feedback));
        }

        return messages;
    }

    private static string BuildSystemPrompt()
    {
        var examples = new StringBuilder();
        for (var i = 1; i <= ExampleCount; i++)
        {
            var example = PromptResources.Json($"script-example-{i}.json");
            examples.Append("Example ").Append(i).Append(". Persona: ").AppendLine(example.GetProperty("Persona").GetString());
            examples.AppendLine(example.GetProperty("Script").GetRawText().Trim());
            examples.AppendLine();
        }

        return PromptResources.Text("script-system-v1.md").Replace("{{EXAMPLES}}", examples.ToString().TrimEnd(), StringComparison.Ordinal).TrimEnd();
    }

    /// <summary>The example scripts of the prompt, for tests and documentation.</summary>
    /// <returns>The scripts' JSON texts.</returns>
    public static IReadOnlyList<string> ExampleScripts() =>
        Enumerable.Range(1, ExampleCount).Select(i => PromptResources.Json($"script-example-{i}.json").GetProperty("Script").GetRawText()).ToArray();

    /// <summary>The system prompt, for inspection.</summary>
    /// <returns>The text.</returns>
    public static string GetSystemPrompt() => SystemPrompt.Value;
}
