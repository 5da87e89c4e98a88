using System.Text.Json.Nodes;
using AgentRefine.Synthesis;
using AgentRefine.Testing;

namespace AgentRefine.Cli.Tests;

public sealed class ConvertCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("agentrefine-convert-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Records => Path.Combine(AppContext.BaseDirectory, "samples", "records.jsonl");

    private static (int Exit, string Out, string Err) Run(params string[] args) => Cli.Run(args);

    [Fact]
    public void Convert_prints_statistics()
    {
        var output = Path.Combine(_folder, "train.jsonl");
        var (exit, stdout, stderr) = Run("convert", "--input", Records, "--output", output, "--format", "llamafactory");

        exit.Should().Be(0, stderr);
        stdout.Should().Be($"""
            Converted records.jsonl to {output} (llamafactory, mask-errors, JSON Lines).
              records in:         4
              conversations:      2 (12 rows, {new FileInfo(output).Length:N0} bytes)
              llamafactory:       one sample per trained turn (6.0 rows per conversation); train with mask_history: true (set in the training config)
              skipped:            2 (rejected-record 1, too-few-refinements 1)
                32055561932a5d5878a3eeb88383db6d  rejected-record
                81cccba481402e03f0a2183f9ab0169b  too-few-refinements
              assistant turns:    12 trained, 5 masked
              mistaken turns:     parameter_error 2, place_error 2, logic_error 1
              dataset_info.json:  {Path.Combine(_folder, "dataset_info.json")}
              training config:    {Path.Combine(_folder, "train.llamafactory.yaml")} (mask_history: true, template: llama3, cutoff_len: 4096)
              train with:         llamafactory-cli train {Path.Combine(_folder, "train.llamafactory.yaml")}

            """);
        stderr.Should().BeEmpty();
    }

    [Fact]
    public void Preview_marks_masked_turns_and_writes_nothing()
    {
        var (exit, stdout, _) = Run("convert", "--input", Records, "--preview", "2", "--mode", "mask-errors");

        exit.Should().Be(0);
        stdout.Should().StartWith("=== 1/2  ea21b17a1e855e586c8c61d2ecf9a5f7  (mask-errors: 8 trained, 3 masked)\n[user]\nYou are an agent");
        stdout.Should().Contain("[assistant · MASKED, no loss · mistake: place_error]\nThought: I need the harbor photograph. I will take it.\nAction: take harbor photograph from front desk\n");
        stdout.Should().Contain("[assistant · TRAINED]\nThought: The photograph must be stored in the archive room.");
        stdout.Should().Contain("=== 2/2  24a3f101ecb8aa5616cab2d33a435122  (mask-errors: 4 trained, 2 masked)");
        Directory.GetFiles(_folder).Should().BeEmpty();
    }

    [Fact]
    public void Train_all_preview_marks_trained_mistakes()
    {
        var (_, stdout, _) = Run("convert", "--input", Records, "--preview", "1", "--mode", "train-all");
        stdout.Should().Contain("[assistant · TRAINED · mistake: place_error]");
    }

    [Fact]
    public void Strict_exits_1_at_the_first_skipped_record()
    {
        var (exit, _, stderr) = Run("convert", "--input", Records, "--output", Path.Combine(_folder, "o.jsonl"), "--format", "openai", "--strict");
        exit.Should().Be(1);
        stderr.Should().StartWith("agentrefine convert: stopped (--strict): records.jsonl:3: record 32055561932a5d5878a3eeb88383db6d has status 'rejected'.");
    }

    [Fact]
    public void A_malformed_line_exits_2_naming_file_and_line()
    {
        var input = Path.Combine(_folder, "records.jsonl");
        File.WriteAllLines(input, [File.ReadLines(Records).First(), "not json"]);
        var (exit, _, stderr) = Run("convert", "--input", input, "--output", Path.Combine(_folder, "o.jsonl"), "--format", "openai");
        exit.Should().Be(2);
        stderr.Should().StartWith("agentrefine convert: records.jsonl:2: invalid JSON (");

        Run("convert", "--input", input, "--output", Path.Combine(_folder, "o.jsonl"), "--format", "openai", "--skip-invalid").Exit.Should().Be(0);
    }

    [Theory]
    [InlineData(new[] { "convert", "--input", "x.jsonl" }, "agentrefine: --output and --format are required unless --preview is given.")]
    [InlineData(new[] { "convert", "--input", "x.jsonl", "--output", "o", "--format", "alpaca" }, "agentrefine: Argument 'alpaca' not recognized. Must be one of:")]
    [InlineData(new[] { "convert", "--input", "x.jsonl", "--preview", "1", "--mode", "mask" }, "agentrefine: Argument 'mask' not recognized. Must be one of:")]
    [InlineData(new[] { "convert", "--input", "x.jsonl", "--preview", "0" }, "agentrefine: --preview must be 1 or more.")]
    [InlineData(new[] { "convert", "--input", "x.jsonl", "--output", "o", "--format", "openai", "--threads", "many" }, "agentrefine: Cannot parse argument 'many' for option '--threads': expected a whole number.")]
    [InlineData(new[] { "convert", "--input", "x.jsonl", "--output", "o", "--format", "openai", "--eval-fraction", "half" }, "agentrefine: Cannot parse argument 'half' for option '--eval-fraction': expected a number.")]
    [InlineData(new[] { "convert", "--input", "x.jsonl", "--output", "o", "--format", "tokens", "--template", "llama3", "--tokenizer", ".", "--max-length", "long" }, "agentrefine: Cannot parse argument 'long' for option '--max-length': expected a whole number.")]
    public void Bad_usage_exits_2(string[] args, string message)
    {
        var (exit, _, stderr) = Run(args);
        exit.Should().Be(2);
        stderr.Should().StartWith(message);
    }

    [Fact]
    public void A_bad_template_exits_2()
    {
        var template = Path.Combine(_folder, "template.txt");
        File.WriteAllText(template, "{{goal}} {{secret}}");
        var (exit, _, stderr) = Run("convert", "--input", Records, "--preview", "1", "--prompt-template", template);
        exit.Should().Be(2);
        stderr.Should().StartWith("agentrefine convert: The prompt template uses an unknown placeholder {{secret}}");
    }

    [Fact]
    public void Stats_describes_the_dataset()
    {
        var (exit, stdout, _) = Run("stats", Records);
        exit.Should().Be(0);
        stdout.Should().Be("""
            records.jsonl:
              records:              4 (3 accepted, 1 rejected), 0 unreadable lines
              accepted, verified:   2 (1 fail verification today)
              turns:                18.0 on average (min 13, max 23)
              error-refine turns:   2.50 on average (min 2, max 3)
              error types:          parameter_error 2, place_error 2, logic_error 1
              actions per script:   4.5 on average (min 4, max 5)
              duplicates:           0 personas, 0 goals
              rejected by reason:   regex-invalid 1

            """);
    }

    [Fact]
    public void Stats_of_a_missing_file_exits_2()
    {
        Run("stats", Path.Combine(_folder, "none.jsonl")).Exit.Should().Be(2);
    }

    /// <summary>
    /// Runs <c>synthesize --min-error-refine 1</c> against a loopback model whose every game has one
    /// corrected mistake (accepted only under a minimum of 1), and returns the records file.
    /// </summary>
    private async Task<string> SynthesizeWithOneRefinementAsync()
    {
        await using var server = await LoopbackOpenAIServer.StartAsync();
        var script = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "verify", "script.json"));
        var game = "{\"turns\": " + File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "verify", "variants", "trajectory-one-refinement.json")) + "}";
        server.Responder = (body, context) => LoopbackOpenAIServer.WriteCompletionAsync(
            context,
            body["messages"]![0]!["content"]!.GetValue<string>().StartsWith("You write scripts", StringComparison.Ordinal) ? script : game);
        var personas = Path.Combine(_folder, "personas.jsonl");
        File.WriteAllLines(personas, ["A baker", "A pilot"]);
        var records = Path.Combine(_folder, "records.jsonl");

        var (exit, stdout, stderr) = Run("synthesize", "--personas", personas, "--output", records, "--endpoint", server.Endpoint.ToString(), "--model", "llama", "--min-error-refine", "1");

        exit.Should().Be(0, stderr);
        stdout.Should().Contain("records written:      2 (2 accepted, 0 rejected, 100.0% accepted)");
        File.ReadAllLines(records).Select(l => JsonNode.Parse(l)!["provenance"]!["verifier"]!.ToJsonString())
            .Should().Equal(Enumerable.Repeat("""{"minErrorRefineTurns":1,"regexTimeoutMs":100,"regexEngine":"backtracking","maxVerificationCodeLength":2000}""", 2));
        return records;
    }

    [Fact]
    public async Task Records_synthesized_with_min_error_refine_1_are_converted_under_it()
    {
        var records = await SynthesizeWithOneRefinementAsync();
        var output = Path.Combine(_folder, "train.jsonl");

        var (exit, stdout, stderr) = Run("convert", "--input", records, "--output", output, "--format", "ms-swift");

        exit.Should().Be(0, stderr);
        stdout.Should().Be($"""
            Converted records.jsonl to {output} (ms-swift, mask-errors, JSON Lines).
              records in:         2
              conversations:      2 (2 rows, {new FileInfo(output).Length:N0} bytes)
              skipped:            0
              assistant turns:    20 trained, 2 masked
              mistaken turns:     parameter_error 2, place_error 0, logic_error 0

            """);
        File.ReadAllLines(output).Should().HaveCount(2);
        Run("stats", records).Out.Should().Contain("  accepted, verified:   2 (0 fail verification today)\n");
    }

    [Fact]
    public async Task Min_error_refine_on_convert_and_stats_overrides_the_records_settings()
    {
        var records = await SynthesizeWithOneRefinementAsync();
        var output = Path.Combine(_folder, "train.jsonl");

        var (exit, stdout, stderr) = Run("convert", "--input", records, "--output", output, "--format", "ms-swift", "--min-error-refine", "2");

        exit.Should().Be(0, stderr);
        var ids = new[] { "A baker", "A pilot" }.Select(p => SynthesisRecord.ComputeId(p, null)).ToArray();
        stdout.Should().Contain("  conversations:      0 (0 rows, 0 bytes)\n  skipped:            2 (too-few-refinements 2)\n");
        stdout.Should().Contain($"    {ids[0]}  too-few-refinements\n").And.Contain($"    {ids[1]}  too-few-refinements\n");
        Run("stats", records, "--min-error-refine", "2").Out.Should().Contain("  accepted, verified:   0 (2 fail verification today)\n");
        Run("convert", "--input", records, "--preview", "1", "--min-error-refine", "2").Out.Should().StartWith("(skipped) ").And.Contain(": too-few-refinements\n");
    }

    [Theory]
    [InlineData("convert", "--input", "x.jsonl", "--preview", "1", "--min-error-refine", "-1")]
    [InlineData("stats", "x.jsonl", "--min-error-refine", "-1")]
    public void A_negative_min_error_refine_exits_2(params string[] args)
    {
        var (exit, _, stderr) = Run(args);
        exit.Should().Be(2);
        stderr.Should().StartWith("agentrefine: --min-error-refine must be 0 or more.");
    }
}
