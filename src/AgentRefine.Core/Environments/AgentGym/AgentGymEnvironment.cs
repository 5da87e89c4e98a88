using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentRefine.Environments;

/// <summary>
/// An AgentGym environment server (<c>agentenv-babyai</c>, <c>-alfworld</c>, <c>-sciworld</c>,
/// <c>-textcraft</c>, <c>-webshop</c>, or any server of the common protocol) as an
/// <see cref="IAgentEnvironment"/>. Each episode creates its own environment id (<c>POST /create</c>),
/// resets it to the task index (<c>POST /reset</c>), sends one <c>POST /step</c> per action and always
/// closes it (<c>POST /close</c>, also after a failure or a cancellation), so concurrent episodes never
/// share an id. Per family it applies AgentGym's client rules: the reset body, the action clean-up, the
/// field read as the score (as progress in [0, 1]) and the success rule; see <c>docs/evaluation.md</c>.
/// The episode's task name is <c>agentgym/&lt;family&gt;</c>: its progress is the server's own score,
/// not AgentBoard's progress rate.
/// </summary>
public sealed class AgentGymEnvironment : IAgentEnvironment, IDisposable
{
    private readonly AgentGymClient _client;
    private readonly AgentGymFamily _family;

    /// <summary>Creates the environment.</summary>
    /// <param name="options">Settings (copied).</param>
    /// <param name="httpClient">The HTTP client to use (not disposed; its own timeout should be infinite, the options' budgets apply); when <see langword="null"/>, one is created with <see cref="AgentGymOptions.ConnectTimeout"/> and disposed with this instance.</param>
    /// <exception cref="ArgumentException">A setting is missing or out of range.</exception>
    public AgentGymEnvironment(AgentGymOptions options, HttpClient? httpClient = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Clone();
        settings.Validate();
        _family = AgentGymFamilies.For(settings.Environment!.Trim());
        _client = new AgentGymClient(settings, httpClient);
    }

    /// <summary>The environment families whose client rules this library knows: <c>babyai</c>, <c>alfworld</c>, <c>sciworld</c>, <c>textcraft</c>, <c>webshop</c>.</summary>
    public static IReadOnlyList<string> KnownEnvironments => AgentGymFamilies.Names;

    /// <summary>Whether the family is one of <see cref="KnownEnvironments"/> (otherwise the common protocol is used).</summary>
    public bool IsKnownEnvironment => AgentGymFamilies.IsKnown(_family.Name);

    /// <inheritdoc />
    public string Task => "agentgym/" + _family.Name;

    /// <summary>Checks that the server answers at all (<c>GET /</c>), within about twice <see cref="AgentGymOptions.ConnectTimeout"/>.</summary>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>A task that completes when the server answered.</returns>
    /// <exception cref="AgentEnvironmentException">The server cannot be reached (<see cref="AgentEnvironmentException.IsFatal"/>); the message names it.</exception>
    public Task CheckServerAsync(CancellationToken cancellationToken = default) => _client.CheckAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask<IEnvironmentEpisode> StartAsync(long taskIndex, CancellationToken cancellationToken = default)
    {
        var created = await _client.PostAsync("create", [], cancellationToken).ConfigureAwait(false);
        var id = created switch
        {
            JsonObject answer when answer[_family.IdKey] is JsonValue value => value.DeepClone(),
            JsonObject answer when answer["id"] is JsonValue value => value.DeepClone(),
            JsonValue value => value.DeepClone(),
            _ => throw new AgentEnvironmentException($"AgentGym server {_client.ServerName}: POST /create answered no environment id: {created?.ToJsonString() ?? "null"}"),
        };
        var episode = new AgentGymEpisode(_client, _family, id);
        try
        {
            await episode.ResetAsync(taskIndex, cancellationToken).ConfigureAwait(false);
            return episode;
        }
        catch
        {
            await episode.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Disposes the HTTP client when this instance created it.</summary>
    public void Dispose() => _client.Dispose();

    /// <summary>One environment id on the server.</summary>
    private sealed class AgentGymEpisode(AgentGymClient client, AgentGymFamily family, JsonNode id) : IEnvironmentEpisode
    {
        private static readonly TimeSpan CloseBudget = TimeSpan.FromSeconds(10);
        private IReadOnlyList<string>? _admissible;
        private int _closed;

        public EnvironmentStart Start { get; private set; } = null!;

        public async Task ResetAsync(long taskIndex, CancellationToken cancellationToken)
        {
            var body = family.ResetBody(taskIndex);
            body[family.IdKey] = id.DeepClone();
            var answer = await client.PostAsync("reset", body, cancellationToken).ConfigureAwait(false) as JsonObject ?? [];
            var observation = family.ObserveAfterReset
                ? Text(await client.GetAsync($"observation?{family.IdKey}={Uri.EscapeDataString(IdText())}", cancellationToken).ConfigureAwait(false), family.ObservationKey)
                : Text(answer, family.ObservationKey);
            var shown = family.FirstObservation(answer, observation);
            _admissible = family.AvailableActions(answer, shown);
            Start = new EnvironmentStart(family.Goal(answer, shown), shown)
            {
                Instruction = family.Instruction,
                Actions = family.Actions,
            };
        }

        public async ValueTask<EnvironmentStepResult> StepAsync(string action, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(action);
            var cleaned = family.CleanAction(action);
            var body = new JsonObject { [family.IdKey] = id.DeepClone(), ["action"] = cleaned };
            var answer = await client.PostAsync("step", body, cancellationToken).ConfigureAwait(false) as JsonObject
                ?? throw new AgentEnvironmentException($"AgentGym server {client.ServerName}: POST /step answered something that is not an object.");
            var observation = family.StepObservation(answer, Text(answer, family.ObservationKey));
            var done = answer["done"] is JsonValue d && d.TryGetValue<bool>(out var flag) && flag;
            var progress = family.Progress(answer);
            var valid = (_admissible is null || _admissible.Contains(cleaned, StringComparer.Ordinal)) && !family.RejectsAction(observation);
            _admissible = family.AvailableActions(answer, observation);
            return new EnvironmentStepResult(observation, done)
            {
                Valid = valid,
                Progress = progress is { } p ? Math.Clamp(p, 0, 1) : null,
                Success = family.Success(answer, progress, done),
            };
        }

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _closed, 1) != 0)
            {
                return;
            }

            // Always released, also when the run was cancelled; a server without /close (agentenv-alfworld) or one that fails is not an episode failure.
            using var budget = new CancellationTokenSource(CloseBudget);
            try
            {
                await client.PostAsync("close", new JsonObject { [family.IdKey] = id.DeepClone() }, budget.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is AgentEnvironmentException or OperationCanceledException or HttpRequestException)
            {
            }
        }

        private string IdText() => id is JsonValue value && value.TryGetValue<long>(out var number) ? number.ToString(CultureInfo.InvariantCulture) : id.ToJsonString().Trim('"');

        private string Text(JsonNode? answer, string key) => answer switch
        {
            JsonObject o when o[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            JsonObject o when o[key] is { } other => other.ToJsonString(),
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            JsonArray { Count: > 0 } a when a[0] is JsonValue first && first.GetValueKind() == JsonValueKind.String => first.GetValue<string>(),
            _ => throw new AgentEnvironmentException($"AgentGym server {client.ServerName}: the answer has no '{key}': {answer?.ToJsonString() ?? "null"}"),
        };
    }
}
