using System.Globalization;
using System.Text;
using System.Text.Json;
using AgentRefine.Scripts;

namespace AgentRefine.Benchmarks;

/// <summary>
/// Writes accepted records the way a real synthesis run produces them: every script its own game
/// with its own actions and verification codes (no two codes alike, in the styles models write:
/// <c>\s*</c>/<c>\s+</c> with lazy groups, word classes, Python named groups, case-insensitive
/// flags), trajectories of 13–25 turns with 2–4 flagged mistakes that are then corrected, thoughts
/// and observations of 10–40 words, and the provenance, usage and verdicts <c>synthesize</c> writes.
/// Deterministic for a seed.
/// </summary>
internal static class RealisticRecords
{
    private static readonly string[] Verbs =
    [
        "open", "close", "take", "drop", "inspect", "calibrate", "scan", "brew", "mix", "pour", "heat", "cool", "label", "sort",
        "file", "stamp", "weigh", "measure", "record", "print", "load", "unload", "plant", "water", "prune", "harvest", "feed",
        "wash", "dry", "fold", "stack", "pack", "ship", "sign", "read", "write", "draw", "paint", "sand", "glue", "cut", "sew",
        "tune", "play", "test", "repair", "assemble", "install", "connect", "charge", "restart", "upload", "download", "archive",
        "book", "cancel", "confirm", "invoice", "greet", "interview", "treat", "bandage", "prescribe", "survey", "map", "photograph",
        "translate", "grade", "teach", "rehearse", "bake", "slice", "season", "serve", "order", "deliver", "polish", "seal",
    ];

    private static readonly string[] Prepositions = ["from", "to", "into", "onto", "with", "in", "on", "at", "for", "under", "using", "beside"];

    private static readonly string[] Nouns =
    [
        "ledger", "crate", "beaker", "sample", "camera", "drone", "manuscript", "valve", "sensor", "router", "server", "tablet",
        "brush", "canvas", "kiln", "loom", "lathe", "scalpel", "stethoscope", "chart", "map", "compass", "lantern", "ticket",
        "invoice", "parcel", "engine", "battery", "cable", "antenna", "telescope", "microscope", "notebook", "folder", "stamp",
        "kettle", "oven", "whisk", "ladle", "basket", "seedling", "hose", "trowel", "saddle", "harness", "violin", "drum",
        "script", "badge", "helmet", "ladder", "rope", "tent", "radio", "printer", "scanner", "monitor", "keyboard", "drive",
        "vial", "flask", "pipette", "centrifuge", "spreadsheet", "contract", "passport", "receipt", "bottle", "barrel", "sack",
    ];

    private static readonly string[] Adjectives =
    [
        "red", "blue", "old", "new", "spare", "broken", "clean", "dusty", "sealed", "empty", "full", "small", "large", "heavy",
        "fragile", "signed", "blank", "wet", "dry", "hot", "cold", "rusty", "shiny", "labelled", "second", "third", "north", "south",
    ];

    private static readonly string[] Places =
    [
        "front desk", "archive room", "workshop", "kitchen", "garden", "lab", "office", "warehouse", "dock", "studio", "clinic",
        "library", "classroom", "garage", "attic", "cellar", "greenhouse", "stable", "market", "station", "hangar", "pharmacy",
        "server room", "darkroom", "loading bay", "reception", "storeroom", "rooftop", "courtyard", "hallway",
    ];

    private static readonly string[] Words =
    [
        "the", "player", "needs", "to", "find", "a", "way", "before", "goal", "is", "reached", "room", "is", "quiet", "and", "there",
        "are", "several", "items", "on", "shelf", "door", "leads", "north", "I", "should", "check", "first", "then", "carry", "it",
        "back", "this", "action", "looks", "right", "but", "wrong", "place", "was", "not", "here", "now", "you", "see", "small",
        "table", "with", "notes", "light", "comes", "through", "window", "nothing", "happens", "it", "seems", "that", "must",
        "be", "done", "carefully", "because", "rules", "say", "so", "next", "step", "will", "complete", "task", "soon",
    ];

    /// <summary>Writes <paramref name="count"/> records to <paramref name="path"/> and returns its size in bytes.</summary>
    public static async Task<long> WriteAsync(string path, int count, int seed = 20261201)
    {
        var random = new Random(seed);
        var personas = ReadPersonas();
        var codes = new HashSet<string>(StringComparer.Ordinal);
        // Written beside the target and renamed into place when complete (the library's AtomicFile).
        await using var file = AgentRefine.IO.AtomicFile.Create(path);
        var stream = file.Stream;
        var line = new MemoryStream();
        for (var i = 0; i < count; i++)
        {
            line.SetLength(0);
            using (var writer = new Utf8JsonWriter(line))
            {
                WriteRecord(writer, random, i, personas[i % personas.Length], codes);
            }

            line.WriteByte((byte)'\n');
            await stream.WriteAsync(line.GetBuffer().AsMemory(0, (int)line.Length)).ConfigureAwait(false);
        }

        var length = stream.Length;
        await file.CommitAsync().ConfigureAwait(false);
        return length;
    }

    private static string[] ReadPersonas()
    {
        foreach (var candidate in CandidatePersonaFiles())
        {
            if (File.Exists(candidate))
            {
                return File.ReadLines(candidate)
                    .Where(l => l.Length > 0)
                    .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("persona").GetString()!)
                    .ToArray();
            }
        }

        return ["A community librarian digitizing a local history archive", "A field geologist mapping a volcanic island"];
    }

    private static IEnumerable<string> CandidatePersonaFiles()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            yield return Path.Combine(folder.FullName, "shared", "data", "personahub-sample.jsonl");
            yield return Path.Combine(folder.FullName, "..", "shared", "data", "personahub-sample.jsonl");
        }
    }

    private sealed record GameAction(string Template, string Code, string[] Names, string[][] Values);

    private static void WriteRecord(Utf8JsonWriter writer, Random random, int index, string persona, HashSet<string> codes)
    {
        var places = Pick(random, Places, random.Next(3, 6));
        var items = Enumerable.Range(0, random.Next(4, 8)).Select(_ => Pick(random, Adjectives) + " " + Pick(random, Nouns)).Distinct().ToArray();
        var actions = new List<GameAction>();
        var actionCount = random.Next(4, 8);
        for (var attempt = 0; actions.Count < actionCount; attempt++)
        {
            var action = NewAction(random, places, items);
            if (actions.All(a => a.Template != action.Template) && (codes.Add(action.Code) || attempt > 1_000))
            {
                actions.Add(action);
            }
        }

        writer.WriteStartObject();
        writer.WriteString("id", index.ToString("x32", CultureInfo.InvariantCulture));
        writer.WriteString("status", "accepted");
        writer.WriteString("persona", persona);
        var environment = Environment(random, persona, places, items);
        var goalItem = Pick(random, items);
        var goal = $"Bring the {goalItem} to the {places[^1]} and {Sentence(random, 6, 12)}.";
        string[] conditions = [$"The {goalItem} is in the {places[^1]}.", Sentence(random, 8, 14) + "."];
        var scriptActions = actions
            .Select(a => new ScriptAction(a.Template, a.Code, [.. a.Names.Select((name, p) => new ScriptParameter(name, a.Values[p]))], Sentence(random, 5, 12) + "."))
            .ToArray();
        writer.WritePropertyName("script");
        new Script(goal, conditions, scriptActions, environment).WriteTo(writer);

        // The trajectory: an opening DM turn, then Player/DM pairs; 2–4 mistakes flagged and corrected; the last DM turn completes the task.
        var pairs = random.Next(6, 13);
        var mistakes = new HashSet<int>();
        var mistakeCount = random.Next(2, 5);
        while (mistakes.Count < mistakeCount)
        {
            mistakes.Add(random.Next(0, pairs - 1));
        }

        writer.WriteStartArray("trajectory");
        WriteDm(writer, 0, Sentence(random, 10, 40), Sentence(random, 10, 40), parameter: false, place: false, logic: false, completed: false);
        var errorRefine = 0;
        for (var p = 0; p < pairs; p++)
        {
            var action = actions[random.Next(actions.Count)];
            var mistake = mistakes.Contains(p);
            var kind = mistake ? random.Next(3) : -1;
            var text = Instantiate(random, action, invalidValue: kind == 0);
            writer.WriteStartObject();
            writer.WriteNumber("turn", 1 + (2 * p));
            writer.WriteString("role", "Player");
            writer.WriteString("Thought", Sentence(random, 10, 40));
            writer.WriteString("Action", text);
            writer.WriteEndObject();
            WriteDm(writer, 2 + (2 * p), Sentence(random, 10, 40), Sentence(random, 10, 40), kind == 0, kind == 1, kind == 2, p == pairs - 1);
            errorRefine += mistake ? 1 : 0;
        }

        writer.WriteEndArray();
        writer.WriteStartObject("provenance");
        writer.WriteStartArray("models");
        writer.WriteStringValue("gpt-4o-2024-08-06");
        writer.WriteEndArray();
        writer.WriteStartObject("promptVersions");
        writer.WriteString("script", "script-v1");
        writer.WriteString("trajectory", "trajectory-v1");
        writer.WriteEndObject();
        writer.WriteNull("seed");
        writer.WriteNumber("calls", 2);
        writer.WriteNumber("retries", 0);
        writer.WriteNumber("cachedCalls", 0);
        writer.WriteString("personaSource", $"personas.jsonl:{index + 1}");
        writer.WriteEndObject();
        writer.WriteStartObject("usage");
        writer.WriteNumber("inputTokens", random.Next(1500, 4000));
        writer.WriteNumber("outputTokens", random.Next(1200, 3500));
        writer.WriteEndObject();
        writer.WriteStartArray("verdicts");
        WriteVerdict(writer, "script", 1, 0, 0);
        WriteVerdict(writer, "trajectory", 2, 1 + (2 * pairs), errorRefine);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>The script's environment: rooms with items and doors, and the player.</summary>
    private static JsonElement Environment(Random random, string persona, string[] places, string[] items)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("persona", persona);
            writer.WriteStartObject("locations");
            foreach (var place in places)
            {
                writer.WriteStartObject(place);
                writer.WriteStartArray("items");
                foreach (var item in Pick(random, items, random.Next(1, 3)))
                {
                    writer.WriteStringValue(item);
                }

                writer.WriteEndArray();
                writer.WriteStartArray("connected_to");
                foreach (var other in places.Where(p => p != place))
                {
                    writer.WriteStringValue(other);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteStartObject("player");
            writer.WriteString("location", places[0]);
            writer.WriteStartArray("inventory");
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return JsonDocument.Parse(buffer.ToArray()).RootElement.Clone();
    }

    private static GameAction NewAction(Random random, string[] places, string[] items)
    {
        var verb = Pick(random, Verbs);
        var noun = Pick(random, Nouns);
        var preposition = Pick(random, Prepositions);
        var shape = random.Next(6);
        var itemValues = Pick(random, items, Math.Min(items.Length, random.Next(2, 5)));
        var placeValues = Pick(random, places, Math.Min(places.Length, random.Next(2, 4)));
        string Alternation(string[] values) => string.Join('|', values.Select(v => v.Replace(" ", @"\s+", StringComparison.Ordinal)));
        var adjective = Pick(random, Adjectives);
        return shape switch
        {
            // "calibrate {item} with the kiln": the common \s*/\s+ style with a lazy group
            0 => new($"{verb} {{item}} {preposition} the {noun}", $@"^\s*{verb}\s+(.+?)\s+{preposition}\s+the\s+{noun}\s*$", ["item"], [itemValues]),
            // the valid values spelled out in the code
            1 => new($"{verb} the {noun} {{item}}", $@"^{verb} the {noun} ({string.Join('|', itemValues)})$", ["item"], [itemValues]),
            // Python named groups, one of them an alternation
            2 => new($"{verb} {{item}} {preposition} the {{place}}", $@"^\s*{verb}\s+(?P<item>[a-z ]+?)\s+{preposition}\s+the\s+(?P<place>{Alternation(placeValues)})\s*$", ["item", "place"], [itemValues, placeValues]),
            // case-insensitive, an optional article
            3 => new($"{verb} {{place}}", $@"(?i)^\s*{verb}\s+(?:the\s+)?({Alternation(placeValues)})\s*$", ["place"], [placeValues]),
            // no parameter
            4 => new($"{verb} the {adjective} {noun}", $@"^\s*{verb}\s+(?:the\s+)?{adjective}\s+{noun}\s*$", [], []),
            // explicit character classes, two parameters
            _ => new($"{verb} {{item}} {preposition} {{place}} by {noun}", $@"^{verb}\s+([A-Za-z0-9_ ]+?)\s+{preposition}\s+([a-z ]+)\s+by\s+{noun}$", ["item", "place"], [itemValues, placeValues]),
        };
    }

    private static string Instantiate(Random random, GameAction action, bool invalidValue)
    {
        var text = action.Template;
        for (var p = 0; p < action.Names.Length; p++)
        {
            var value = invalidValue && p == 0 ? "unknown " + Pick(random, Nouns) : Pick(random, action.Values[p]);
            text = text.Replace("{" + action.Names[p] + "}", value, StringComparison.Ordinal);
        }

        return text;
    }

    private static void WriteDm(Utf8JsonWriter writer, int turn, string thought, string observation, bool parameter, bool place, bool logic, bool completed)
    {
        writer.WriteStartObject();
        writer.WriteNumber("turn", turn);
        writer.WriteString("role", "DM");
        writer.WriteString("Thought", thought);
        writer.WriteString("Observation", observation);
        writer.WriteBoolean("parameter_error", parameter);
        writer.WriteBoolean("place_error", place);
        writer.WriteBoolean("logic_error", logic);
        writer.WriteBoolean("task_completed", completed);
        writer.WriteEndObject();
    }

    private static void WriteVerdict(Utf8JsonWriter writer, string stage, int attempt, int kept, int errorRefine)
    {
        writer.WriteStartObject();
        writer.WriteString("stage", stage);
        writer.WriteNumber("attempt", attempt);
        writer.WriteString("outcome", "accepted");
        writer.WriteNumber("keptTurns", kept);
        writer.WriteNumber("errorRefineTurns", errorRefine);
        writer.WriteStartArray("issues");
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static string Sentence(Random random, int minWords, int maxWords)
    {
        var words = random.Next(minWords, maxWords + 1);
        var text = new StringBuilder();
        for (var w = 0; w < words; w++)
        {
            text.Append(w == 0 ? "" : " ").Append(Pick(random, Words));
        }

        text[0] = char.ToUpperInvariant(text[0]);
        return text.ToString();
    }

    private static T Pick<T>(Random random, T[] values) => values[random.Next(values.Length)];

    private static T[] Pick<T>(Random random, T[] values, int count) => values.OrderBy(_ => random.Next()).Take(count).ToArray();
}
