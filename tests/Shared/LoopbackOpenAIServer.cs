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

    public void ReplyCompletion(string text, string model = "served-model", string finishReason = "stop", int input = 11, int output = 22) =>
        Reply(context => WriteCompletionAsync(context, text, model, finishReason, input, output));

    public static Task WriteCompletionAsync(HttpContext context, string text, string model = "served-model", string finishReason = "stop", int input = 11, int output = 22)
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
            ["usage"] = new JsonObject { ["prompt_tokens"] = input, ["completion_tokens"] = output, ["total_tokens"] = input + output },
        };
        return context.Response.WriteAsync(body.ToJsonString());
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
