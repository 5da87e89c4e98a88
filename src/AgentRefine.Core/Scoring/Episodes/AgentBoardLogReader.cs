using AgentRefine.Json;
using System.Globalization;
using System.Text.Json;

namespace AgentRefine.Scoring;

/// <summary>
/// Reads what AgentBoard writes: <c>logs/&lt;task&gt;.jsonl</c> (despite the name, concatenated
/// pretty-printed JSON objects), <c>all_results.txt</c> (one JSON object per task a line), and its
/// task files <c>data/&lt;task&gt;/test.jsonl</c> (for subgoals). AgentBoard's logs do not record
/// per-step validity, done flags or PDDL facts, so a logged episode keeps AgentBoard's own success,
/// progress and grounding; when the task file gives the subgoals, progress is also recomputed with
/// this library's rules from the logged observations, and a disagreement is reported as a diagnostic.
/// Every file may start with a UTF-8 byte order mark.
/// </summary>
public static class AgentBoardLogReader
{
    /// <summary>Reads every episode of one log file.</summary>
    /// <param name="path">The log file (<c>logs/&lt;task&gt;.jsonl</c>).</param>
    /// <param name="run">The run name to give the episodes.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The logged episodes, in file order.</returns>
    /// <exception cref="InvalidDataException">The file is not a sequence of JSON objects; the message names the file and the object.</exception>
    public static async Task<IReadOnlyList<AgentBoardLogEntry>> ReadLogAsync(string path, string run, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(run);
        ReadOnlyMemory<byte> bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        if (bytes.Span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            bytes = bytes[3..]; // a UTF-8 byte order mark
        }

        var name = Path.GetFileName(path);
        if (!System.Text.Unicode.Utf8.IsValid(bytes.Span))
        {
            throw new InvalidDataException($"{name}: the file is not valid UTF-8.");
        }

        var entries = new List<AgentBoardLogEntry>();
        var reader = new Utf8JsonReader(bytes.Span, new JsonReaderOptions { AllowMultipleValues = true, AllowTrailingCommas = true, MaxDepth = 64 });
        while (true)
        {
            JsonElement root;
            try
            {
                if (!reader.Read())
                {
                    break;
                }

                using var document = JsonDocument.ParseValue(ref reader);
                root = document.RootElement.Clone();
            }
            catch (JsonException exception)
            {
                throw new InvalidDataException($"{name}: object {entries.Count + 1}: invalid JSON ({LlmJsonText.ShortMessage(exception)}).", exception);
            }

            entries.Add(ToEntry(root, run, $"{name}: object {entries.Count + 1}"));
        }

        return entries;
    }

    /// <summary>Reads an AgentBoard task file's subgoals by id.</summary>
    /// <param name="path">The task file (<c>data/&lt;task&gt;/test.jsonl</c>).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The subgoals by task instance id.</returns>
    public static async Task<IReadOnlyDictionary<long, IReadOnlyList<string>>> ReadSubgoalsAsync(string path, CancellationToken cancellationToken = default)
    {
        var subgoals = new Dictionary<long, IReadOnlyList<string>>();
        await foreach (var (root, where) in JsonLinesAsync(path, cancellationToken).ConfigureAwait(false))
        {
            if (!root.TryGetProperty("id", out var id) || !id.TryGetInt64(out var value))
            {
                throw new InvalidDataException($"{where}: not a task line with an integer 'id'.");
            }

            subgoals[value] = root.TryGetProperty("subgoals", out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Select(s => s.ValueKind == JsonValueKind.String ? s.GetString()! : s.GetRawText()).ToArray()
                : [];
        }

        return subgoals;
    }

    /// <summary>Reads <c>all_results.txt</c>: one JSON object per task a line.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>Per task, AgentBoard's own aggregate numbers by field name (<c>success_rate</c>, <c>progress_rate</c>, ...).</returns>
    public static async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>> ReadAllResultsAsync(string path, CancellationToken cancellationToken = default)
    {
        var results = new Dictionary<string, IReadOnlyDictionary<string, double>>(StringComparer.Ordinal);
        await foreach (var (root, where) in JsonLinesAsync(path, cancellationToken).ConfigureAwait(false))
        {
            if (!root.TryGetProperty("task_name", out var task) || task.ValueKind != JsonValueKind.String)
            {
                throw new InvalidDataException($"{where}: not a result line with 'task_name'.");
            }

            results[task.GetString()!] = root.EnumerateObject()
                .Where(p => p.Value.ValueKind == JsonValueKind.Number)
                .ToDictionary(p => p.Name, p => p.Value.GetDouble(), StringComparer.Ordinal);
        }

        return results;
    }

    /// <summary>
    /// Reads a run folder: every <c>logs/*.jsonl</c>, scored as AgentBoard logged them. When
    /// <c>data/&lt;task&gt;/test.jsonl</c> is found (in the folder or its parent), progress is also
    /// recomputed from the logged observations and a difference is reported in the episode's diagnostics.
    /// </summary>
    /// <param name="folder">The run folder (holding <c>logs/</c>), or the <c>logs/</c> folder itself.</param>
    /// <param name="run">The run name.</param>
    /// <param name="scorer">The scorer used for the recomputation; the default one when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The episodes' scores.</returns>
    public static async Task<IReadOnlyList<EpisodeScore>> ScoreRunAsync(string folder, string run, AgentBoardScorer? scorer = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        scorer ??= new AgentBoardScorer();
        var scores = new List<EpisodeScore>();
        foreach (var (file, dataFile) in Run(folder))
        {
            var entries = await ReadLogAsync(file, run, cancellationToken).ConfigureAwait(false);
            var subgoals = dataFile is null ? null : await ReadSubgoalsAsync(dataFile, cancellationToken).ConfigureAwait(false);
            foreach (var entry in entries)
            {
                var score = entry.ToScore();
                if (subgoals is not null && subgoals.TryGetValue(entry.Id, out var goals) && scorer.Scorers.ContainsKey(entry.Task))
                {
                    var recomputed = scorer.Score(entry.ToEpisode(goals));
                    if (Math.Abs(recomputed.Progress - entry.ProgressRate) > 1e-6)
                    {
                        score = score with { Diagnostics = [string.Create(CultureInfo.InvariantCulture, $"AgentBoard logged progress {entry.ProgressRate:0.####}, recomputed from the logged observations {recomputed.Progress:0.####}")] };
                    }
                }

                scores.Add(score);
            }
        }

        return scores;
    }

    /// <summary>
    /// The files <see cref="ScoreRunAsync"/> reads for a run folder: every <c>logs/*.jsonl</c> and, after
    /// each, the task file found for its task (if any). A tool can use it to refuse an output path that
    /// would overwrite one of them.
    /// </summary>
    /// <param name="folder">The run folder (holding <c>logs/</c>), or the <c>logs/</c> folder itself.</param>
    /// <returns>The full paths, in reading order.</returns>
    /// <exception cref="InvalidDataException">The folder does not exist.</exception>
    public static IReadOnlyList<string> RunFiles(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        return [.. Run(folder).SelectMany(f => f.DataFile is null ? [f.LogFile] : new[] { f.LogFile, f.DataFile })];
    }

    /// <summary>Each log file of a run folder with the task file found for its task.</summary>
    private static List<(string LogFile, string? DataFile)> Run(string folder)
    {
        var logs = Directory.Exists(Path.Combine(folder, "logs")) ? Path.Combine(folder, "logs") : folder;
        if (!Directory.Exists(logs))
        {
            throw new InvalidDataException($"{folder}: no such folder.");
        }

        var parent = Path.GetDirectoryName(Path.GetFullPath(logs))!;
        return [.. Directory.GetFiles(logs, "*.jsonl").Order(StringComparer.Ordinal).Select(file =>
        {
            var task = Path.GetFileNameWithoutExtension(file);
            var dataFile = new[] { Path.Combine(folder, "data", task, "test.jsonl"), Path.Combine(parent, "..", "data", task, "test.jsonl") }.FirstOrDefault(File.Exists);
            return (Path.GetFullPath(file), dataFile is null ? null : Path.GetFullPath(dataFile));
        })];
    }

    /// <summary>The JSON objects of a JSON Lines file, blank lines skipped, with their <c>file:line</c>.</summary>
    private static async IAsyncEnumerable<(JsonElement Root, string Where)> JsonLinesAsync(string path, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(path);
        var number = 0;
        foreach (var line in await File.ReadAllLinesAsync(path, cancellationToken).ConfigureAwait(false))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            JsonElement root;
            try
            {
                using var document = JsonDocument.Parse(line);
                root = document.RootElement.Clone();
            }
            catch (JsonException exception)
            {
                throw new InvalidDataException($"{name}:{number}: invalid JSON ({LlmJsonText.ShortMessage(exception)}).", exception);
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{name}:{number}: {LlmJsonText.KindName(root.ValueKind)}, not an object.");
            }

            yield return (root, $"{name}:{number}");
        }
    }

    private static AgentBoardLogEntry ToEntry(JsonElement root, string run, string where)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{where}: {LlmJsonText.KindName(root.ValueKind)}, not an object.");
        }

        double Number(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : throw new InvalidDataException($"{where}: '{name}' is missing or not a number.");
        var steps = new List<(string Action, string Observation)>();
        if (root.TryGetProperty("trajectory", out var trajectory) && trajectory.ValueKind == JsonValueKind.Object)
        {
            foreach (var turn in trajectory.EnumerateObject().OrderBy(p => TurnNumber(p.Name)))
            {
                var action = turn.Value.TryGetProperty("Action", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString()! : string.Empty;
                var observation = turn.Value.TryGetProperty("Observation", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString()! : string.Empty;
                steps.Add((action, observation));
            }
        }

        var changes = new List<ProgressChange>();
        if (root.TryGetProperty("score_change_record", out var record) && record.ValueKind == JsonValueKind.Array)
        {
            foreach (var change in record.EnumerateArray())
            {
                if (change.ValueKind == JsonValueKind.Array && change.GetArrayLength() == 2)
                {
                    changes.Add(new ProgressChange(change[0].GetInt32(), change[1].GetDouble()));
                }
            }
        }

        return new AgentBoardLogEntry(
            run,
            root.TryGetProperty("task_name", out var task) ? task.GetString() ?? string.Empty : throw new InvalidDataException($"{where}: 'task_name' is missing."),
            root.TryGetProperty("id", out var id) && id.TryGetInt64(out var value) ? value : throw new InvalidDataException($"{where}: 'id' is missing or not an integer."),
            root.TryGetProperty("difficulty", out var difficulty) ? difficulty.GetString() : null,
            root.TryGetProperty("goal", out var goal) ? goal.GetString() ?? string.Empty : string.Empty,
            root.TryGetProperty("is_done", out var done) && done.ValueKind == JsonValueKind.True,
            Number("progress_rate"),
            Number("grounding_acc"),
            changes,
            steps);
    }

    private static int TurnNumber(string key) =>
        int.TryParse(key.AsSpan(key.LastIndexOf(' ') + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : int.MaxValue;
}
