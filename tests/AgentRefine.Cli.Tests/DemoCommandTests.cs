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
        File.ReadAllLines(Path.Combine(_folder, "records.jsonl")).Should().HaveCount(5);
        File.ReadAllLines(Path.Combine(_folder, "records.rejected.jsonl")).Should().ContainSingle();
        JsonNode.Parse(File.ReadAllLines(Path.Combine(_folder, "records.jsonl"))[0])!["provenance"]!["models"]![0]!.GetValue<string>().Should().Be("replay (recorded responses, not a live model)");
        foreach (var format in new[] { "agentgym", "ms-swift", "openai", "axolotl", "llamafactory", "llamafactory-v1" })
        {
            new FileInfo(Path.Combine(_folder, $"train.{format}.jsonl")).Length.Should().BeGreaterThan(0, format);
        }

        File.Exists(Path.Combine(_folder, "train.axolotl.axolotl.yml")).Should().BeTrue();
        File.Exists(Path.Combine(_folder, "dataset_info.json")).Should().BeTrue();
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
}
