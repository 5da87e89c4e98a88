using System.Text.Json.Nodes;

namespace AgentRefine.Cli.Tests;

public sealed class DemoCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("agentrefine-demo-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void The_demo_runs_every_stage_with_the_replay_client()
    {
        var (exit, stdout, stderr) = Cli.Run("demo", "--output", _folder);

        exit.Should().Be(0, stderr);
        stdout.Should().StartWith("1. Synthesis with the bundled replay client: RECORDED responses from samples/replay, not a live model (6 sample personas)\n");
        stdout.Should().Contain("records written:      6 (5 accepted, 1 rejected, 83.3% accepted)");
        stdout.Should().Contain("LLM calls:            18 (3.60 per accepted record)");
        stdout.Should().Contain("5 accepted records, 5 pass verification");
        stdout.Should().Contain("llamafactory     5 conversations,  36 rows, 36 trained / 14 masked turns");
        stdout.Should().Contain("| baseline-8b | <ins>0.0</ins> | <ins>25.0</ins>");
        stdout.Should().Contain("5. Evaluation: an agent plays the sample script (samples/verify/script.json) against a Dungeon Master, both RECORDED replies from samples/replay/evaluation.jsonl, not live models\n"
            + "    1.   go to archive room → You enter the archive room. The shelves hold a letter bundle and the 1923 harbor photograp…\n"
            + "    2. ✗ take harbor photograph from archive room → You reach for the harbor photograph, but the sign stops you: photographs may only be handl…\n");
        stdout.Should().Contain("    9.   scan harbor photograph as harbor_1923.tif → The scanner hums. harbor_1923.tif is saved to the archive drive next to letters_1921.tif.\n"
            + "| run | script Success | script Progress | average Success | average Progress |\n|---|---:|---:|---:|---:|\n| replay-agent | 100.0 | 100.0 | 100.0 | 100.0 |\n"
            + "   grounding 88.9% (✗: a step the Dungeon Master flagged); progress is the script environment's own: the share of completion conditions met\n");
        File.ReadAllLines(Path.Combine(_folder, "episodes.jsonl")).Should().ContainSingle();
        File.ReadAllLines(Path.Combine(_folder, "records.jsonl")).Should().HaveCount(5);
        File.ReadAllLines(Path.Combine(_folder, "records.rejected.jsonl")).Should().ContainSingle();
        JsonNode.Parse(File.ReadAllLines(Path.Combine(_folder, "records.jsonl"))[0])!["provenance"]!["models"]![0]!.GetValue<string>().Should().Be("replay (recorded responses, not a live model)");
        foreach (var format in new[] { "agentgym", "ms-swift", "openai", "axolotl", "llamafactory", "llamafactory-v1" })
        {
            new FileInfo(Path.Combine(_folder, $"train.{format}{(format == "agentgym" ? ".json" : ".jsonl")}")).Length.Should().BeGreaterThan(0, format);
        }

        File.Exists(Path.Combine(_folder, "train.axolotl.yml")).Should().BeTrue();
        Directory.GetFiles(_folder, "*.axolotl.axolotl.yml").Should().BeEmpty("the config name does not repeat the format");
        File.Exists(Path.Combine(_folder, "dataset_info.json")).Should().BeTrue();
        File.Exists(Path.Combine(_folder, "train.llamafactory.yaml")).Should().BeTrue("the config name does not repeat the format either");
        JsonNode.Parse(File.ReadAllText(Path.Combine(_folder, "scores.json")))!["runs"]!.AsObject().Count.Should().Be(2);
        File.ReadAllText(Path.Combine(_folder, "long-range.svg")).Should().StartWith("<svg");
    }

    [Fact]
    public void Running_the_demo_twice_starts_afresh()
    {
        Cli.Run("demo", "--output", _folder).Exit.Should().Be(0);
        var (exit, stdout, _) = Cli.Run("demo", "--output", _folder);
        exit.Should().Be(0);
        stdout.Should().Contain("records written:      6");
    }

    [Fact]
    public void An_endpoint_needs_a_model()
    {
        var (exit, _, stderr) = Cli.Run("demo", "--output", _folder, "--endpoint", "http://127.0.0.1:9/v1");
        exit.Should().Be(2);
        stderr.Should().Be("agentrefine demo: --endpoint needs --model." + Environment.NewLine);
    }

    [Fact]
    public void The_demo_ends_by_saying_what_to_look_at_next()
    {
        var (exit, stdout, stderr) = Cli.Run("demo", "--output", _folder);

        exit.Should().Be(0, stderr);
        var records = Path.Combine(_folder, "records.jsonl");
        stdout.Should().EndWith($"""

            Next:
               see a training conversation (masked turns marked):  agentrefine convert --input {records} --preview 1
               statistics of the records:                          agentrefine stats {records}
               a dataset for your trainer:                         {Path.Combine(_folder, "train.<format>.jsonl")}, one line a conversation (how to train with each: docs/conversion.md)
               your trained model on held-out scripts:             agentrefine evaluate scripts --scripts {records} --endpoint URL --model NAME --dm-model NAME --output episodes.jsonl
               the same with a real model:                         agentrefine demo --endpoint http://localhost:8000/v1 --model NAME

            """);
        Cli.Run("convert", "--input", records, "--preview", "1").Exit.Should().Be(0, "the suggested command works");
        Cli.Run("stats", records).Exit.Should().Be(0, "the suggested command works");
    }

    [Fact]
    public void A_model_without_an_endpoint_or_api_key_exits_2_naming_the_variable_and_the_endpoint_option()
    {
        var saved = Environment.GetEnvironmentVariable("OPENAI_API_KEY");
        Environment.SetEnvironmentVariable("OPENAI_API_KEY", null);
        try
        {
            File.WriteAllText(Path.Combine(_folder, "records.jsonl"), "kept\n");

            var (exit, stdout, stderr) = Cli.Run("demo", "--output", _folder, "--model", "gpt-4o");

            exit.Should().Be(2);
            stdout.Should().BeEmpty();
            stderr.Should().Be("agentrefine demo: --model gpt-4o without --endpoint calls OpenAI (api.openai.com), which needs an API key: set the OPENAI_API_KEY environment variable, or add --endpoint URL to use an OpenAI-compatible server (vLLM, Ollama, ...) that needs none. Without --model the demo replays recorded responses." + Environment.NewLine);
            File.ReadAllText(Path.Combine(_folder, "records.jsonl")).Should().Be("kept\n", "nothing is deleted before the check");
        }
        finally
        {
            Environment.SetEnvironmentVariable("OPENAI_API_KEY", saved);
        }
    }

    [Fact]
    public void A_file_as_output_folder_exits_2_saying_it_is_a_file()
    {
        var file = Path.Combine(_folder, "not-a-folder");
        File.WriteAllText(file, "kept");

        var (exit, stdout, stderr) = Cli.Run("demo", "--output", file);

        exit.Should().Be(2);
        stdout.Should().BeEmpty();
        stderr.Should().Be($"agentrefine demo: cannot write the outputs: '{file}' is a file, not a directory." + Environment.NewLine);
        File.ReadAllText(file).Should().Be("kept");
    }

    [Fact]
    public void Each_demo_persona_plays_a_game_written_for_it()
    {
        var samples = Path.Combine(AppContext.BaseDirectory, "samples");
        var personas = File.ReadLines(Path.Combine(samples, "personas.jsonl")).Take(6).Select(l => JsonNode.Parse(l)!["persona"]!.GetValue<string>()).ToList();
        var scripts = File.ReadLines(Path.Combine(samples, "replay", "responses.jsonl"))
            .Where(l => l.Length > 0)
            .Select(l => JsonNode.Parse(l)!)
            .Where(r => r["role"]!.GetValue<string>() == "script")
            .Select(r => (Persona: r["persona"]!.GetValue<string>(), Script: JsonNode.Parse(r["text"]!.GetValue<string>())!))
            .ToList();

        scripts.Select(s => s.Persona).Distinct().Should().BeEquivalentTo(personas, "every demo persona has recorded scripts, and only they");
        foreach (var (persona, script) in scripts)
        {
            var goal = script["Goal"]!.GetValue<string>();
            var words = PersonaWords(persona);
            words.Should().Contain(w => goal.Contains(w, StringComparison.OrdinalIgnoreCase), $"the goal \"{goal}\" should fit the persona \"{persona}\"");
            var written = script["Environment"]!["persona"]?.GetValue<string>();
            written.Should().Be(persona, "each script is written for the persona it is recorded for");
        }

        scripts.GroupBy(s => s.Persona).Select(g => g.First().Script["Goal"]!.GetValue<string>()).Should().OnlyHaveUniqueItems("each persona has its own game");
    }

    /// <summary>The persona's content words (five letters or more, common words left out), with a plural's singular.</summary>
    private static List<string> PersonaWords(string persona)
    {
        string[] common = ["about", "after", "their", "which", "while", "across", "before", "keeps", "first", "small", "retired"];
        return persona.Split([' ', ',', '\'', '-'], StringSplitOptions.RemoveEmptyEntries)
            .Where(w => w.Length >= 5 && !common.Contains(w, StringComparer.OrdinalIgnoreCase))
            .Select(w => w.EndsWith('s') ? w[..^1] : w)
            .ToList();
    }
}
