using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentRefine.Testing;

/// <summary>An OpenAI-compatible chat completions endpoint on 127.0.0.1 that records requests and answers with a scripted reply.</summary>
public sealed class LoopbackOpenAIServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Func<HttpContext, Task>> _replies = new();

    private LoopbackOpenAIServer(WebApplication app) => _app = app;

    public ConcurrentQueue<(string Path, IReadOnlyDictionary<string, string> Headers, JsonObject Body)> Requests { get; } = new();

    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Answers requests when no queued reply is left (a deterministic stand-in for a model).</summary>
    public Func<JsonObject, HttpContext, Task>? Responder { get; set; }

    public static async Task<LoopbackOpenAIServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new LoopbackOpenAIServer(app);
        app.MapPost("/v1/chat/completions", async context =>
        {
            var body = (JsonObject)(await JsonNode.ParseAsync(context.Request.Body))!;
            server.Requests.Enqueue((context.Request.Path, context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body));
            if (server._replies.TryDequeue(out var reply))
            {
                await reply(context);
            }
            else if (server.Responder is { } responder)
            {
                await responder(body, context);
            }
            else
            {
                context.Response.StatusCode = 599;
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Endpoint = new Uri(address + "/v1");
        return server;
    }

    public void Reply(Func<HttpContext, Task> reply) => _replies.Enqueue(reply);

    public void ReplyCompletion(string text, string model = "served-model", string finishReason = "stop", int input = 11, int output = 22, int? cachedInput = null) =>
        Reply(context => WriteCompletionAsync(context, text, model, finishReason, input, output, cachedInput));

    public static Task WriteCompletionAsync(HttpContext context, string text, string model = "served-model", string finishReason = "stop", int input = 11, int output = 22, int? cachedInput = null)
    {
        context.Response.ContentType = "application/json";
        var body = new JsonObject
        {
            ["id"] = "chatcmpl-123",
            ["object"] = "chat.completion",
            ["created"] = 1_700_000_000,
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = text },
                ["finish_reason"] = finishReason,
            }),
            ["usage"] = Usage(input, output, cachedInput),
        };
        return context.Response.WriteAsync(body.ToJsonString());
    }

    /// <summary>Answers with a server-sent event stream: one chunk per text piece, then the finish reason and usage, then <c>[DONE]</c>.</summary>
    public void ReplyStream(IReadOnlyList<string> pieces, string model = "served-model", string finishReason = "stop", int input = 11, int output = 22) => Reply(async context =>
    {
        context.Response.ContentType = "text/event-stream";
        JsonObject Chunk(JsonObject delta, string? finish, JsonNode? usage) => new()
        {
            ["id"] = "chatcmpl-123",
            ["object"] = "chat.completion.chunk",
            ["created"] = 1_700_000_000,
            ["model"] = model,
            ["choices"] = usage is null ? new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finish }) : new JsonArray(),
            ["usage"] = usage,
        };
        var chunks = pieces.Select((piece, i) => Chunk(i == 0 ? new JsonObject { ["role"] = "assistant", ["content"] = piece } : new JsonObject { ["content"] = piece }, null, null))
            .Append(Chunk(new JsonObject(), finishReason, null))
            .Append(Chunk(new JsonObject(), null, Usage(input, output, null)));
        foreach (var chunk in chunks)
        {
            await context.Response.WriteAsync("data: " + chunk.ToJsonString() + "\n\n");
            await context.Response.Body.FlushAsync();
        }

        await context.Response.WriteAsync("data: [DONE]\n\n");
    });

    private static JsonObject Usage(int input, int output, int? cachedInput)
    {
        var usage = new JsonObject { ["prompt_tokens"] = input, ["completion_tokens"] = output, ["total_tokens"] = input + output };
        if (cachedInput is { } cached)
        {
            usage["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = cached };
        }

        return usage;
    }

    public void ReplyError(int status, string message, params (string Name, string Value)[] headers) => Reply(context =>
    {
        context.Response.StatusCode = status;
        foreach (var (name, value) in headers)
        {
            context.Response.Headers[name] = value;
        }

        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = "error" } }.ToJsonString());
    });

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
