using System.Globalization;
using System.Text;
using System.Text.Json;
using AgentRefine.Json;
using AgentRefine.Llm;
using AgentRefine.Scripts;
using AgentRefine.Synthesis;
using AgentRefine.Trajectories;
using AgentRefine.Verification;
using Microsoft.Extensions.AI;

namespace AgentRefine.Environments;

/// <summary>
/// A synthesized script played live: an LLM Dungeon Master (the <c>dm</c> role) that knows the hidden
/// Environment answers each action with one DM turn in the paper's keys (<c>Thought</c>,
/// <c>Observation</c>, the three error flags, <c>task_completed</c>) plus the Completion Conditions that
/// now hold. Whether an action's parameters are valid is decided locally by the script's verification
/// codes and parameter lists (<see cref="CompiledScript.Match"/>, deterministic), and the DM is told the
/// verdict and must agree with it, so it cannot accept an action the script forbids. A reply that is
/// not valid (not the keys, a verdict contradicted, completion claimed with an error or without every
/// condition) is asked again with the reason, up to <see cref="ScriptEnvironmentOptions.MaxDungeonMasterAttempts"/>
/// replies, then the episode ends as errored. Success is <c>task_completed</c>; progress is the running
/// maximum of the share of Completion Conditions met; a step is valid (grounding) when no error flag is set.
/// The task index is the script's position in <see cref="Scripts"/>.
/// </summary>
public sealed class ScriptEnvironment : IAgentEnvironment
{
    /// <summary>The task name written into the episodes.</summary>
    public const string TaskName = "script";

    /// <summary>The version of the Dungeon Master prompt this class sends.</summary>
    public const string PromptVersion = "dm-v1";

    private readonly IChatClient _dungeonMaster;
    private readonly RuleBasedVerifier _verifier;
    private readonly ScriptEnvironmentOptions _options;
    private readonly CompiledScript?[] _compiled;
    private readonly Lock _lock = new();

    /// <summary>Creates the environment.</summary>
    /// <param name="scripts">The scripts; task <c>i</c> is <c>scripts[i]</c>.</param>
    /// <param name="dungeonMaster">The Dungeon Master's model.</param>
    /// <param name="verifier">Compiles the scripts' verification codes (its settings: regex timeout and engine); a default <see cref="RuleBasedVerifier"/> when <see langword="null"/>.</param>
    /// <param name="options">Settings (copied); defaults when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public ScriptEnvironment(IReadOnlyList<Script> scripts, IChatClient dungeonMaster, RuleBasedVerifier? verifier = null, ScriptEnvironmentOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(scripts);
        ArgumentNullException.ThrowIfNull(dungeonMaster);
        Scripts = [.. scripts];
        _dungeonMaster = dungeonMaster;
        _verifier = verifier ?? new RuleBasedVerifier();
        _options = options?.Clone() ?? new ScriptEnvironmentOptions();
        _options.Validate();
        _compiled = new CompiledScript?[Scripts.Count];
    }

    /// <summary>The scripts, by task index.</summary>
    public IReadOnlyList<Script> Scripts { get; }

    /// <inheritdoc />
    public string Task => TaskName;

    /// <summary>The Dungeon Master's system prompt.</summary>
    public static string SystemPrompt => PromptResources.Text("dm-system-v1.md");

    /// <summary>
    /// Reads the scripts of a file: a script JSON object, a JSON array of scripts, or a synthesis records
    /// file (JSON Lines; every record's script in file order, whatever its status; records without a
    /// readable script, such as those rejected before one was written, are left out).
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="limit">Take at most this many scripts; all when <see langword="null"/>.</param>
    /// <param name="limits">Read limits; defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The scripts.</returns>
    /// <exception cref="InvalidDataException">A line is not a record, or the file is not a script; the message names <c>file:line</c>.</exception>
    public static async Task<IReadOnlyList<Script>> ReadScriptsAsync(string path, int? limit = null, JsonReadLimits? limits = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        limits ??= JsonReadLimits.Default;
        var name = Path.GetFileName(path);
        var scripts = new List<Script>();
        if (await StartsWithJsonValueAsync(path, cancellationToken).ConfigureAwait(false) is { } kind)
        {
            var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
            if (kind == '[')
            {
                using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = limits.MaxDepth, AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
                var index = 0;
                foreach (var element in document.RootElement.EnumerateArray())
                {
                    scripts.Add(Read(element.GetRawText(), $"{name}[{index++}]", limits));
                }
            }
            else
            {
                scripts.Add(Read(text, name, limits));
            }
        }
        else
        {
            await foreach (var result in SynthesisRecordReader.ReadAsync(path, limits, cancellationToken).ConfigureAwait(false))
            {
                if (result.Record is not { } record)
                {
                    throw new InvalidDataException($"{result.Source}: {result.Error}");
                }

                if (record.Script is not { } script)
                {
                    // A record rejected before it had a script (or whose script text is not JSON) has nothing to play.
                    continue;
                }

                scripts.Add(script);
                if (scripts.Count == limit)
                {
                    break;
                }
            }
        }

        return limit is { } most && scripts.Count > most ? scripts[..most] : scripts;
    }

    /// <inheritdoc />
    public ValueTask<IEnvironmentEpisode> StartAsync(long taskIndex, CancellationToken cancellationToken = default) =>
        StartEpisodeAsync(taskIndex, cancellationToken);

    private async ValueTask<IEnvironmentEpisode> StartEpisodeAsync(long taskIndex, CancellationToken cancellationToken)
    {
        if (taskIndex < 0 || taskIndex >= Scripts.Count)
        {
            throw new AgentEnvironmentException(string.Create(CultureInfo.InvariantCulture, $"there is no script {taskIndex} (the environment holds {Scripts.Count})."));
        }

        var compiled = Compile((int)taskIndex, cancellationToken);
        var episode = new ScriptEpisode(this, compiled);
        await episode.OpenAsync(cancellationToken).ConfigureAwait(false);
        return episode;
    }

    private CompiledScript Compile(int index, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_compiled[index] is { } done)
            {
                return done;
            }
        }

        var script = Scripts[index];
        var compiled = _verifier.Compile(script, cancellationToken);
        if (compiled is null)
        {
            var issues = _verifier.VerifyScript(script, cancellationToken).Issues;
            var reason = issues.Count == 0 ? "it does not compile" : $"[{issues[0].Code}] {issues[0].Message}";
            throw new AgentEnvironmentException($"script {index} does not pass the script checks, so its actions cannot be judged: {reason}");
        }

        lock (_lock)
        {
            return _compiled[index] ??= compiled;
        }
    }

    private static Script Read(string text, string source, JsonReadLimits limits) =>
        ScriptReader.Read(text, limits) is { Script: { } script } ? script : throw new InvalidDataException($"{source}: not a script: {ScriptReader.Read(text, limits).Error}");

    /// <summary>'[' for a JSON array, '{' for one script object, <see langword="null"/> for JSON Lines records (a first line that is a whole object with a <c>script</c> key).</summary>
    private static async Task<char?> StartsWithJsonValueAsync(string path, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        string? line;
        do
        {
            line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        }
        while (line is not null && line.Trim().Length == 0);

        var first = line?.Trim() ?? string.Empty;
        if (first.StartsWith('['))
        {
            return '[';
        }

        try
        {
            using var document = JsonDocument.Parse(first);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("script", out _) ? null : '{';
        }
        catch (JsonException)
        {
            return '{';
        }
    }

    /// <summary>One game: the script, its compiled actions, the DM turns and player actions so far.</summary>
    private sealed class ScriptEpisode(ScriptEnvironment owner, CompiledScript compiled) : IEnvironmentEpisode
    {
        private readonly List<Turn> _turns = [];
        private double _progress;

        public EnvironmentStart Start { get; private set; } = null!;

        private Script Script => compiled.Script;

        public async Task OpenAsync(CancellationToken cancellationToken)
        {
            var opening = await AskAsync(null, null, cancellationToken).ConfigureAwait(false);
            Record(opening);
            var goal = Script.Goal ?? string.Empty;
            Start = new EnvironmentStart(goal, opening.Observation)
            {
                Instruction = Instruction(Script),
                Actions = [.. Script.AvailableActions.Select(a => new EnvironmentAction(a.Template, a.Description))],
            };
        }

        public async ValueTask<EnvironmentStepResult> StepAsync(string action, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(action);
            var verdict = compiled.Match(action);
            _turns.Add(new PlayerTurn(_turns.Count, string.Empty, action));
            var reply = await AskAsync(action, verdict, cancellationToken).ConfigureAwait(false);
            Record(reply);
            var conditions = Script.CompletionConditions.Count;
            var share = conditions == 0 ? (reply.TaskCompleted ? 1 : 0) : (double)reply.ConditionsMet.Count / conditions;
            _progress = Math.Max(_progress, share);
            return new EnvironmentStepResult(reply.Observation, reply.TaskCompleted)
            {
                Valid = !reply.HasError,
                Progress = _progress,
                Success = reply.TaskCompleted,
            };
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        private void Record(DungeonMasterReply reply) =>
            _turns.Add(new DmTurn(_turns.Count, reply.Thought, reply.Observation, reply.ParameterError, reply.PlaceError, reply.LogicError, reply.TaskCompleted));

        /// <summary>Asks the DM for the next turn (the opening one when <paramref name="action"/> is <see langword="null"/>) until a reply is valid, within the budget.</summary>
        private async Task<DungeonMasterReply> AskAsync(string? action, ActionMatch? verdict, CancellationToken cancellationToken)
        {
            var options = owner._options;
            var messages = new List<ChatMessage> { new(ChatRole.System, SystemPrompt), new(ChatRole.User, Request(action, verdict)) };
            string? problem = null;
            for (var attempt = 1; attempt <= options.MaxDungeonMasterAttempts; attempt++)
            {
                var chatOptions = ChatRequestFactory.CreateOptions(options.DungeonMaster, AgentRefineChatRoles.DungeonMaster, attempt, null, "dm-turn-schema.json", "agentrefine_dm_turn");
                string text;
                try
                {
                    text = (await owner._dungeonMaster.GetResponseAsync(messages, chatOptions, cancellationToken).ConfigureAwait(false)).Text ?? string.Empty;
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                catch (Exception exception) when (exception is not OutOfMemoryException)
                {
                    var fatal = exception is LlmTransportException or HttpRequestException && LlmErrors.IsFatal(exception, cancellationToken);
                    throw new AgentEnvironmentException($"the Dungeon Master's model call failed: {LlmErrors.Classify(exception)}: {exception.Message}", exception) { IsFatal = fatal };
                }

                var reply = DungeonMasterReply.Parse(text, Script.CompletionConditions.Count, options.ReadLimits, out problem);
                problem ??= Contradiction(reply!, verdict);
                if (problem is null)
                {
                    return reply! with { Thought = Bound(reply!.Thought, options.MaxObservationCharacters), Observation = Bound(reply!.Observation, options.MaxObservationCharacters) };
                }

                messages.Add(new ChatMessage(ChatRole.Assistant, Bound(text, 4_000)));
                messages.Add(new ChatMessage(ChatRole.User, $"That reply cannot be used: {problem}. Answer again with one JSON object with exactly the keys Thought, Observation, parameter_error, place_error, logic_error, task_completed, conditions_met."));
            }

            throw new AgentEnvironmentException(string.Create(CultureInfo.InvariantCulture, $"the Dungeon Master gave no valid reply in {options.MaxDungeonMasterAttempts} attempts (the last: {problem})."));
        }

        private string? Contradiction(DungeonMasterReply reply, ActionMatch? verdict)
        {
            if (verdict is null)
            {
                return reply.HasError || reply.TaskCompleted ? "the opening turn sets no error flag and \"task_completed\" false" : null;
            }

            if (reply.ParameterError != !verdict.IsMatch)
            {
                return $"\"parameter_error\" must be {(verdict.IsMatch ? "false" : "true")}: the parameter check is final";
            }

            if (reply.TaskCompleted && reply.HasError)
            {
                return "\"task_completed\" cannot be true on a turn with an error";
            }

            var conditions = Script.CompletionConditions.Count;
            return reply.TaskCompleted && reply.ConditionsMet.Count < conditions
                ? string.Create(CultureInfo.InvariantCulture, $"\"task_completed\" is true but \"conditions_met\" lists {reply.ConditionsMet.Count} of the {conditions} conditions")
                : null;
        }

        private string Request(string? action, ActionMatch? verdict)
        {
            var text = new StringBuilder("Script:\n").Append(Script.ToJson(indented: true)).Append("\n\n");
            if (action is null)
            {
                return text.Append("Start the game: write the opening DM turn (turn 0), the player's first observation, which sets the scene for the Goal. Set no error flag; \"task_completed\" is false; \"conditions_met\" lists the conditions that already hold.").ToString();
            }

            text.Append("The game so far:\n").Append(CanonicalJson.Write(WriteTurns, indented: true)).Append("\n\n");
            text.Append(CultureInfo.InvariantCulture, $"The player's action (turn {_turns.Count - 1}): {CanonicalJson.Write(w => w.WriteStringValue(action), indented: false)}\n");
            text.Append("Parameter check (from the script's verification codes; final): ").Append(Verdict(verdict!)).Append('\n');
            return text.Append(CultureInfo.InvariantCulture, $"Write DM turn {_turns.Count}.").ToString();
        }

        private void WriteTurns(Utf8JsonWriter writer)
        {
            writer.WriteStartArray();
            foreach (var turn in _turns.Take(_turns.Count - 1))
            {
                turn.WriteTo(writer);
            }

            writer.WriteEndArray();
        }

        private static string Verdict(ActionMatch verdict)
        {
            if (!verdict.IsMatch)
            {
                return $"the action is not valid: {verdict.Message}. \"parameter_error\" must be true.";
            }

            var values = verdict.Values.Count == 0 ? string.Empty : " with " + string.Join(", ", verdict.Values.Select(v => $"{v.Key} = \"{v.Value}\""));
            return $"the action is the available action \"{verdict.Action!.Template}\"{values}, with listed values. \"parameter_error\" must be false.";
        }

        private static string Instruction(Script script)
        {
            var text = new StringBuilder("You are in a text-based game. Reach the goal by taking one action per turn, written exactly in the format of one of these actions:\n");
            foreach (var action in script.AvailableActions)
            {
                text.Append("- ").Append(action.Template);
                if (!string.IsNullOrWhiteSpace(action.Description))
                {
                    text.Append(": ").Append(action.Description.Trim());
                }

                text.Append('\n');
            }

            return text.ToString();
        }

        private static string Bound(string text, int most) => text.Length > most ? text[..most] : text;
    }
}
