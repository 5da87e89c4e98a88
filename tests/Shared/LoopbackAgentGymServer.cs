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

/// <summary>
/// An AgentGym-compatible environment server on 127.0.0.1 (the BabyAI protocol: <c>/create</c> →
/// <c>{"id"}</c>, <c>/reset {"id", "data_idx"}</c>, <c>/step {"id", "action"}</c> →
/// <c>{"observation", "reward", "score", "done"}</c>, <c>/observation?id=</c>, <c>/close {"id"}</c>,
/// errors in-band as <c>{"error"}</c>) serving a small deterministic text world: task <c>n</c> is a
/// corridor of <c>n + 1</c> cells; <c>move forward</c> advances, <c>look</c> changes nothing, anything else
/// does nothing. Tasks 0..<see cref="Tasks"/>-1 exist. Records every request; can answer with an HTTP
/// status for the next requests to a path.
/// </summary>
public sealed class LoopbackAgentGymServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<long, World> _worlds = new();
    private readonly ConcurrentDictionary<string, (int Count, int Status)> _faults = new(StringComparer.Ordinal);
    private long _nextId;
    private int _open;
    private int _maxOpen;

    private LoopbackAgentGymServer(WebApplication app) => _app = app;

    /// <summary>Every request: path, body (or query), in arrival order.</summary>
    public ConcurrentQueue<(string Path, JsonNode? Body)> Requests { get; } = new();

    /// <summary>The base address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>The number of tasks (data indices) the server has.</summary>
    public int Tasks { get; init; } = 40;

    /// <summary>Delay before each step answer.</summary>
    public TimeSpan StepLatency { get; set; }

    /// <summary>The most environment ids that were open (created, not closed) at once.</summary>
    public int MaxOpen => _maxOpen;

    /// <summary>Ids created and not closed.</summary>
    public IReadOnlyCollection<long> OpenIds => _worlds.Where(w => !w.Value.Closed).Select(w => w.Key).ToArray();

    /// <summary>The data index each id was reset to (an id reset twice is listed twice).</summary>
    public ConcurrentQueue<(long Id, long DataIndex)> Resets { get; } = new();

    public int Count(string path) => Requests.Count(r => r.Path == path);

    public static async Task<LoopbackAgentGymServer> StartAsync(int tasks = 40)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new LoopbackAgentGymServer(app) { Tasks = tasks };
        app.MapGet("/", () => "This is environment Corridor.");
        app.MapPost("/create", context => server.Handle(context, "create", server.Create));
        app.MapPost("/reset", context => server.Handle(context, "reset", server.Reset));
        app.MapPost("/step", context => server.Handle(context, "step", server.Step));
        app.MapPost("/close", context => server.Handle(context, "close", server.Close));
        app.MapGet("/observation", context => server.Handle(context, "observation", server.Observe));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Address = new Uri(address);
        return server;
    }

    /// <summary>Answers the next <paramref name="count"/> requests to <paramref name="path"/> with <paramref name="status"/>.</summary>
    public void Fail(string path, int count, int status = 503) => _faults[path] = (count, status);

    private async Task Handle(HttpContext context, string path, Func<JsonObject, Task<JsonNode>> answer)
    {
        JsonObject body = [];
        if (path == "observation")
        {
            body["id"] = long.Parse(context.Request.Query["id"]!, System.Globalization.CultureInfo.InvariantCulture);
        }
        else if (context.Request.ContentLength is > 0 || context.Request.Headers.ContentType.Count > 0)
        {
            body = await JsonNode.ParseAsync(context.Request.Body) as JsonObject ?? [];
        }

        Requests.Enqueue((path, body));
        if (_faults.TryGetValue(path, out var fault) && fault.Count > 0)
        {
            _faults[path] = (fault.Count - 1, fault.Status);
            context.Response.StatusCode = fault.Status;
            await context.Response.WriteAsync("{\"detail\": \"injected failure\"}");
            return;
        }

        var result = await answer(body);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(result.ToJsonString());
    }

    private Task<JsonNode> Create(JsonObject body)
    {
        var id = Interlocked.Increment(ref _nextId) - 1;
        _worlds[id] = new World();
        var open = Interlocked.Increment(ref _open);
        int seen;
        while ((seen = _maxOpen) < open && Interlocked.CompareExchange(ref _maxOpen, open, seen) != seen)
        {
        }

        return Task.FromResult<JsonNode>(new JsonObject { ["id"] = id });
    }

    private Task<JsonNode> Reset(JsonObject body)
    {
        if (Find(body, out var id) is not { } world)
        {
            return Error($"The id {id} is not valid.");
        }

        var index = body["data_idx"]!.GetValue<long>();
        if (index < 0 || index >= Tasks)
        {
            return Error($"list index out of range: {index}");
        }

        Resets.Enqueue((id, index));
        world.Length = (int)index + 1;
        world.Position = 0;
        return Task.FromResult<JsonNode>(Answer(world, "Your goal: reach the end of the corridor\n" + world.Describe()));
    }

    private async Task<JsonNode> Step(JsonObject body)
    {
        if (StepLatency > TimeSpan.Zero)
        {
            await Task.Delay(StepLatency);
        }

        if (Find(body, out var id) is not { } world || world.Length == 0)
        {
            return await Error($"The id {id} is not valid.");
        }

        if (world.Position == world.Length)
        {
            return await Error($"The task with environment {id} has finished.");
        }

        var action = body["action"]!.GetValue<string>();
        if (action == "move forward")
        {
            world.Position++;
        }
        else if (action != "look")
        {
            return Answer(world, "You cannot do that here." + AvailableActions);
        }

        return Answer(world, world.Describe());
    }

    private Task<JsonNode> Close(JsonObject body)
    {
        if (Find(body, out var id) is not { } world)
        {
            return Error($"The id {id} is not valid.");
        }

        world.Closed = true;
        Interlocked.Decrement(ref _open);
        return Task.FromResult<JsonNode>(JsonValue.Create(true));
    }

    private Task<JsonNode> Observe(JsonObject query) => Observe(query["id"]!.GetValue<long>());

    private Task<JsonNode> Observe(long id) =>
        _worlds.TryGetValue(id, out var world) && !world.Closed ? Task.FromResult<JsonNode>(Answer(world, world.Describe())) : Error($"The id {id} is not valid.");

    private World? Find(JsonObject body, out long id)
    {
        id = body["id"]?.GetValue<long>() ?? -1;
        return _worlds.TryGetValue(id, out var world) && !world.Closed ? world : null;
    }

    private const string AvailableActions = "\nAvailable actions: [\"move forward\", \"look\"]";

    private static JsonObject Answer(World world, string observation) => new()
    {
        ["observation"] = observation,
        ["reward"] = (double)world.Position / world.Length,
        ["score"] = (double)world.Position / world.Length,
        ["done"] = world.Position == world.Length,
    };

    private static Task<JsonNode> Error(string message) => Task.FromResult<JsonNode>(new JsonObject { ["error"] = message });

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private sealed class World
    {
        public int Length { get; set; }

        public int Position { get; set; }

        public bool Closed { get; set; }

        public string Describe() => $"You are at {Position} of {Length}." + AvailableActions;
    }
}
