using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AgentRefine.Llm;
using Microsoft.Extensions.AI;

namespace AgentRefine.Core.Tests.Fakes;

/// <summary>
/// A deterministic stand-in for a model. Scripts are the sample script with the persona written into
/// the environment; games are the sample game. What goes wrong depends on a hash of the persona:
/// kind 0 writes a broken script first, 1 cuts its first game off, 2 plays an unmatched action first,
/// 3 plays a game with too few refinements first, 4 never writes a valid script; the rest succeed at once.
/// </summary>
internal sealed partial class SimulatedModelChatClient : IChatClient
{
    private static readonly string Script = SampleFiles.Script;
    private static readonly string BrokenScript = SampleFiles.Variant("script-regex-invalid.json");
    private static readonly JsonArray Game = JsonNode.Parse(SampleFiles.Trajectory)!.AsArray();

    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public TimeSpan Latency { get; init; }

    public static int KindOf(string persona) => SHA256.HashData(Encoding.UTF8.GetBytes(persona))[0] % 8;

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        if (Latency > TimeSpan.Zero)
        {
            await Task.Delay(Latency, cancellationToken);
        }

        var list = messages.ToList();
        var attempt = LlmResponseProperties.GetInt32(options?.AdditionalProperties, LlmResponseProperties.Attempt);
        var user = list.Last(m => m.Role == ChatRole.User).Text ?? string.Empty;
        string text;
        if (options?.AdditionalProperties?[LlmResponseProperties.Role] as string == AgentRefineChatRoles.Script)
        {
            var persona = list.First(m => m.Role == ChatRole.User).Text!.Split('\n')[0]["Persona: ".Length..];
            var kind = KindOf(persona);
            if (kind == 4 || (kind == 0 && attempt == 1))
            {
                text = BrokenScript;
            }
            else
            {
                var script = JsonNode.Parse(Script)!;
                script["Environment"]!["persona"] = persona;
                text = "Here is the script:\n```json\n" + script.ToJsonString() + "\n```";
            }
        }
        else
        {
            var persona = PersonaInScript().Match(user).Groups[1].Value;
            var kind = KindOf(JsonNode.Parse("\"" + persona + "\"")!.GetValue<string>());
            var continuation = ContinueFrom().Match(user);
            var from = continuation.Success ? int.Parse(continuation.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
            var turns = Game.Skip(from).Select(t => t!.DeepClone()).ToList();
            var firstGame = !continuation.Success && !user.Contains("A previous game", StringComparison.Ordinal);
            if (firstGame && kind == 2)
            {
                turns[13]!["Action"] = "walk to archive room";
            }
            else if (firstGame && kind == 3)
            {
                turns[2]!["place_error"] = false;
                turns[6]!["logic_error"] = false;
            }

            text = "{\"turns\": [" + string.Join(",\n", turns.Select(t => t!.ToJsonString())) + "]}";
            if (firstGame && kind == 1)
            {
                text = text[..(text.IndexOf("\"turn\":9,", StringComparison.Ordinal) + 20)];
            }
        }

        return ScriptedChatClient.Respond(text, "simulated-model", list);
    }

    [GeneratedRegex("\"persona\": \"((?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex PersonaInScript();

    [GeneratedRegex(@"starting with turn (\d+) ")]
    private static partial Regex ContinueFrom();

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
