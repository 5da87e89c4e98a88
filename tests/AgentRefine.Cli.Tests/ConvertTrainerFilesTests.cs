using System.Text.Json.Nodes;
using AgentRefine.Conversion;

namespace AgentRefine.Cli.Tests;

/// <summary>
/// <c>convert</c> writes what each trainer's loader reads and tells the user what to run: AgentGym's JSON array
/// (and that its trainer ignores the mask), LLaMA-Factory's training config with mask_history, axolotl's
/// absolute path, Parquet for a <c>.parquet</c> output, and the train / eval split by trajectory.
/// </summary>
public sealed class ConvertTrainerFilesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("agentrefine-convert-trainers-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Records => Path.Combine(AppContext.BaseDirectory, "samples", "records.jsonl");

    private string[] Contents() => [.. Directory.GetFiles(_folder).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void AgentGym_is_a_json_array_and_the_summary_warns_that_its_trainer_ignores_loss()
    {
        var output = Path.Combine(_folder, "train.json");

        var (exit, stdout, stderr) = Cli.Run("convert", "--input", Records, "--output", output, "--format", "agentgym");

        exit.Should().Be(0, stderr);
        stdout.Should().StartWith($"Converted records.jsonl to {output} (agentgym, mask-errors, JSON array).\n");
        stderr.Should().Be("agentrefine convert: warning: AgentGym's BCTrainer ignores 'loss' and trains every gpt turn: the 5 masked (mistaken) turns would be trained. Formats whose trainers honour the mask: ms-swift, axolotl, llamafactory, llamafactory-v1, openai.\n".ReplaceLineEndings());
        JsonNode.Parse(File.ReadAllText(output))!.AsArray().Select(i => i!["item_id"]!.GetValue<string>()).Should().HaveCount(2);
    }

    [Fact]
    public void AgentGym_json_lines_on_request_and_a_warning_for_an_array_named_jsonl()
    {
        var lines = Path.Combine(_folder, "train.jsonl");
        var (exit, stdout, _) = Cli.Run("convert", "--input", Records, "--output", lines, "--format", "agentgym", "--agentgym-jsonl");
        exit.Should().Be(0);
        stdout.Should().StartWith($"Converted records.jsonl to {lines} (agentgym, mask-errors, JSON Lines).\n");
        File.ReadAllLines(lines).Select(l => JsonNode.Parse(l)!["item_id"]!.GetValue<string>()).Should().HaveCount(2);

        var (_, _, stderr) = Cli.Run("convert", "--input", Records, "--output", lines, "--format", "agentgym", "--mode", "strip-errors");
        stderr.Should().Be("agentrefine convert: warning: train.jsonl will hold a JSON array (what AgentGym's BCTrainer reads with json.load), not JSON Lines; name it .json, or give --agentgym-jsonl for JSON Lines.\n".ReplaceLineEndings(), "strip-errors masks nothing, so only the name is warned about");
        File.ReadAllText(lines).Should().StartWith("[\n{\"item_id\":");
    }

    [Fact]
    public void LlamaFactory_writes_a_training_config_and_prints_the_command_that_uses_it()
    {
        var output = Path.Combine(_folder, "sft.jsonl");

        var (exit, stdout, stderr) = Cli.Run("convert", "--input", Records, "--output", output, "--format", "llamafactory", "--template", "mistral", "--model", "mistralai/Mistral-7B-Instruct-v0.3");

        exit.Should().Be(0, stderr);
        var config = Path.Combine(_folder, "sft.llamafactory.yaml");
        stdout.Should().EndWith($"  training config:    {config} (mask_history: true, template: mistral, cutoff_len: 4096)\n  train with:         llamafactory-cli train {config}\n");
        var yaml = File.ReadAllText(config);
        yaml.Should().Contain("\nmodel_name_or_path: \"mistralai/Mistral-7B-Instruct-v0.3\"\n").And.Contain("\ntemplate: \"mistral\"\n").And.Contain("\nmask_history: true\n").And.Contain($"\ndataset_dir: \"{_folder}\"\ndataset: \"sft\"\n");
        Contents().Should().Equal("dataset_info.json", "sft.jsonl", "sft.llamafactory.yaml");
    }

    [Fact]
    public void An_efficient_eos_template_is_warned_about()
    {
        var (exit, _, stderr) = Cli.Run("convert", "--input", Records, "--output", Path.Combine(_folder, "sft.jsonl"), "--format", "llamafactory", "--template", "glm4");

        exit.Should().Be(0);
        stderr.Should().Be("agentrefine convert: warning: LLaMA-Factory's template 'glm4' has efficient_eos: under mask_history it still labels the EOS after each masked history turn, so samples train a stop after mistaken turns. Prefer a template without efficient_eos (llama3, mistral, qwen, ...), or --format llamafactory-v1, ms-swift or axolotl.\n".ReplaceLineEndings());
        File.ReadAllText(Path.Combine(_folder, "sft.llamafactory.yaml")).Should().Contain("# Warning: template 'glm4' has efficient_eos");
    }

    [Fact]
    public void Axolotl_prints_the_absolute_dataset_path_it_wrote_into_its_config()
    {
        var output = Path.Combine(_folder, "train.jsonl");

        var (exit, stdout, _) = Cli.Run("convert", "--input", Records, "--output", output, "--format", "axolotl");

        exit.Should().Be(0);
        stdout.Should().EndWith($"  axolotl config:     {Path.Combine(_folder, "train.axolotl.yml")}\n  dataset path:       {output} (absolute in the config: axolotl resolves a relative path against the folder it runs in)\n");
        File.ReadAllText(Path.Combine(_folder, "train.axolotl.yml")).Should().Contain($"  - path: \"{output}\"\n");
    }

    [Fact]
    public void A_parquet_output_writes_parquet_and_its_side_files_say_so()
    {
        var output = Path.Combine(_folder, "train.parquet");

        var (exit, stdout, stderr) = Cli.Run("convert", "--input", Records, "--output", output, "--format", "axolotl");

        exit.Should().Be(0, stderr);
        stdout.Should().StartWith($"Converted records.jsonl to {output} (axolotl, mask-errors, Parquet).\n");
        File.ReadAllBytes(output).Take(4).Should().Equal("PAR1"u8.ToArray());
        File.ReadAllText(Path.Combine(_folder, "train.axolotl.yml")).Should().Contain($"  - path: \"{output}\"\n    ds_type: parquet\n");
    }

    [Fact]
    public void The_split_writes_an_eval_file_of_whole_trajectories_and_registers_it()
    {
        var output = Path.Combine(_folder, "train.jsonl");

        var (exit, stdout, stderr) = Cli.Run("convert", "--input", Records, "--output", output, "--format", "llamafactory", "--eval-fraction", "0.5", "--seed", "3");

        exit.Should().Be(0, stderr);
        var eval = Path.Combine(_folder, "train.eval.jsonl");
        stdout.Should().Contain($"\n  conversations:      2 (12 rows, {new FileInfo(output).Length + new FileInfo(eval).Length:N0} bytes)\n  llamafactory:       one sample per trained turn (6.0 rows per conversation); train with mask_history: true (set in the training config)\n  eval split:         1 of 2 conversations (4 rows) in {eval}: whole trajectories, by record id (--eval-fraction 0.5, --seed 3)\n");
        File.ReadAllLines(output).Should().HaveCount(8);
        File.ReadAllLines(eval).Should().HaveCount(4);
        JsonNode.Parse(File.ReadAllText(Path.Combine(_folder, "dataset_info.json")))!.AsObject().Select(p => p.Key).Should().Equal("train", "train.eval");
        File.ReadAllText(Path.Combine(_folder, "train.llamafactory.yaml")).Should().Contain("\ndataset: \"train\"\neval_dataset: \"train.eval\"\n");
        Contents().Should().Equal("dataset_info.json", "train.eval.jsonl", "train.jsonl", "train.llamafactory.yaml");
    }

    [Fact]
    public void The_split_names_the_eval_file_given_and_keeps_ids_apart()
    {
        var output = Path.Combine(_folder, "train.json");
        var eval = Path.Combine(_folder, "held-out.json");

        var (exit, _, stderr) = Cli.Run("convert", "--input", Records, "--output", output, "--format", "agentgym", "--eval-fraction", "0.5", "--seed", "5", "--eval-output", eval, "--mode", "train-all");

        exit.Should().Be(0, stderr);
        static IEnumerable<string> Ids(string path) => JsonNode.Parse(File.ReadAllText(path))!.AsArray().Select(i => i!["item_id"]!.GetValue<string>());
        Ids(eval).Should().Equal("ea21b17a1e855e586c8c61d2ecf9a5f7");
        Ids(output).Should().Equal("24a3f101ecb8aa5616cab2d33a435122");
        DatasetSplit.IsEval("ea21b17a1e855e586c8c61d2ecf9a5f7", 0.5, 5).Should().BeTrue();
    }

    [Fact]
    public void A_split_that_leaves_one_side_empty_is_warned_about()
    {
        var (exit, _, stderr) = Cli.Run("convert", "--input", Records, "--output", Path.Combine(_folder, "train.jsonl"), "--format", "openai", "--eval-fraction", "0.01");

        exit.Should().Be(0);
        stderr.Should().Be("agentrefine convert: warning: --eval-fraction 0.01 put none of the 2 conversations in the eval file; the split decides per record, so a small dataset can land on one side (try another --seed).\n".ReplaceLineEndings());
        File.ReadAllText(Path.Combine(_folder, "train.eval.jsonl")).Should().BeEmpty();
    }

    [Theory]
    [InlineData(new[] { "--format", "openai", "--eval-fraction", "1" }, "agentrefine: --eval-fraction must be at least 0 and less than 1 (the share of trajectories held out for eval).")]
    [InlineData(new[] { "--format", "openai", "--eval-fraction", "-0.1" }, "agentrefine: --eval-fraction must be at least 0 and less than 1")]
    [InlineData(new[] { "--format", "openai", "--seed", "4" }, "agentrefine: --seed and --eval-output belong to the train/eval split: give --eval-fraction above 0 too.")]
    [InlineData(new[] { "--format", "openai", "--eval-output", "e.jsonl" }, "agentrefine: --seed and --eval-output belong to the train/eval split")]
    [InlineData(new[] { "--format", "openai", "--agentgym-jsonl" }, "agentrefine: --agentgym-jsonl applies to --format agentgym.")]
    [InlineData(new[] { "--format", "ms-swift", "--template", "llama3" }, "agentrefine: --template and --model write LLaMA-Factory's training config: they apply to --format llamafactory (and --template to --format tokens).")]
    [InlineData(new[] { "--format", "axolotl", "--model", "m" }, "agentrefine: --template and --model write LLaMA-Factory's training config")]
    public void Options_given_where_they_do_not_apply_exit_2(string[] extra, string message)
    {
        var (exit, _, stderr) = Cli.Run(["convert", "--input", Records, "--output", Path.Combine(_folder, "o.jsonl"), .. extra]);

        exit.Should().Be(2);
        stderr.Should().StartWith(message);
        Contents().Should().BeEmpty();
    }

    [Fact]
    public void AgentGym_as_parquet_is_refused()
    {
        var (exit, _, stderr) = Cli.Run("convert", "--input", Records, "--output", Path.Combine(_folder, "train.parquet"), "--format", "agentgym");

        exit.Should().Be(2);
        stderr.Should().StartWith("agentrefine: --format agentgym cannot be Parquet: AgentGym's BCTrainer reads its train file with json.load (a JSON array). Give a .json --output (or .jsonl with --agentgym-jsonl).");
        Contents().Should().BeEmpty();
    }

    [Fact]
    public void A_dataset_name_llamafactory_cannot_take_is_refused_before_anything_is_written()
    {
        var (exit, _, stderr) = Cli.Run("convert", "--input", Records, "--output", Path.Combine(_folder, "a,b.jsonl"), "--format", "llamafactory");

        exit.Should().Be(2);
        stderr.Should().Be("agentrefine convert: The dataset name 'a,b' (the file name without its extension) holds a comma: LLaMA-Factory splits 'dataset:' at commas. Rename the file.\nagentrefine convert: nothing written.\n".ReplaceLineEndings());
        Contents().Should().BeEmpty();
    }

    [Theory]
    [InlineData("eval")]
    [InlineData("config")]
    public void An_eval_file_or_training_config_that_is_an_input_is_refused(string which)
    {
        var records = Write(which == "eval" ? "train.eval.jsonl" : "train.llamafactory.yaml", File.ReadAllText(Records));
        string[] extra = which == "eval" ? ["--eval-fraction", "0.5"] : [];

        var (exit, _, stderr) = Cli.Run(["convert", "--input", records, "--output", Path.Combine(_folder, "train.jsonl"), "--format", "llamafactory", .. extra]);

        exit.Should().Be(2);
        stderr.Should().Contain(which == "eval" ? $"--eval-output is the same file as --input ('{records}')" : $"the LLaMA-Factory training config is the same file as --input ('{records}')");
        Contents().Should().Equal(Path.GetFileName(records));
    }

    [Fact]
    public void The_eval_file_cannot_be_the_dataset()
    {
        var output = Path.Combine(_folder, "train.jsonl");
        var (exit, _, stderr) = Cli.Run("convert", "--input", Records, "--output", output, "--format", "openai", "--eval-fraction", "0.5", "--eval-output", output);

        exit.Should().Be(2);
        stderr.Should().Be($"agentrefine convert: --eval-output is the same file as --output ('{output}'); give each output its own file.\n".ReplaceLineEndings());
        Contents().Should().BeEmpty();
    }

    [Fact]
    public void A_failed_split_conversion_leaves_every_file_as_it_was()
    {
        var output = Write("train.jsonl", "previous train\n");
        var eval = Write("train.eval.jsonl", "previous eval\n");
        var config = Write("train.llamafactory.yaml", "previous config\n");

        var (exit, _, stderr) = Cli.Run("convert", "--input", Records, "--output", output, "--format", "llamafactory", "--eval-fraction", "0.5", "--strict");

        exit.Should().Be(1);
        stderr.Should().EndWith($"agentrefine convert: nothing written; '{output}' left as it was; '{eval}' left as it was; '{config}' left as it was.\n".ReplaceLineEndings());
        File.ReadAllText(output).Should().Be("previous train\n");
        File.ReadAllText(eval).Should().Be("previous eval\n");
        File.ReadAllText(config).Should().Be("previous config\n");
        Contents().Should().Equal("train.eval.jsonl", "train.jsonl", "train.llamafactory.yaml");
    }

    [Fact]
    public async Task Ctrl_C_leaves_a_parquet_dataset_and_its_eval_file_as_they_were()
    {
        var output = Write("train.parquet", "previous");
        using var interrupted = new CancellationTokenSource();
        await interrupted.CancelAsync();

        var (exit, _, stderr) = await CliRun.RunAsync(CliEnvironment.Plain, interrupted.Token, "convert", "--input", Records, "--output", output, "--format", "ms-swift", "--eval-fraction", "0.5");

        exit.Should().Be(130);
        stderr.Should().Be($"agentrefine convert: interrupted; nothing written; '{output}' left as it was.\n");
        File.ReadAllText(output).Should().Be("previous");
        Contents().Should().Equal("train.parquet");
    }
}
