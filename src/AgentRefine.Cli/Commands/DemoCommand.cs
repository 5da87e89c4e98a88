using System.CommandLine;
using System.Globalization;
using AgentRefine.Agents;
using AgentRefine.Cli.Demo;
using AgentRefine.Conversion;
using AgentRefine.Environments;
using AgentRefine.IO;
using AgentRefine.Llm;
using AgentRefine.OpenAI;
using AgentRefine.Scoring;
using AgentRefine.Synthesis;
using AgentRefine.Verification;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRefine.Cli.Commands;

/// <summary>
/// <c>agentrefine demo</c>: every stage end to end on the bundled samples: synthesize records for the
/// sample personas (with the bundled replay client, or a real model with --endpoint/--model), verify
/// them again, convert them to every training format, score the bundled episodes, evaluate an agent on
/// the sample script played live by a Dungeon Master (recorded replies, or the real model as both),
/// print where each output went and what to run next. Exit 0 done, 1 interrupted, 2 bad usage, missing samples, or
/// OpenAI's own endpoint without an API key.
/// </summary>
internal static class DemoCommand
{
    private const int Personas = 6;

    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--output") { Description = "The folder for every output (its demo files are replaced).", DefaultValueFactory = _ => new DirectoryInfo("agentrefine-demo") };
        var endpoint = new Option<string?>("--endpoint") { Description = "An OpenAI-compatible base address: synthesize with a real model instead of the recorded responses." };
        var model = new Option<string?>("--model") { Description = "The model name (with --endpoint, or alone for OpenAI when OPENAI_API_KEY is set)." };
        var command = new Command("demo", "Run every stage end to end on the bundled samples: synthesis (recorded responses unless --endpoint/--model), verification, conversion to every format, scoring.\n\nExamples:\n  agentrefine demo\n  agentrefine demo --endpoint http://localhost:8000/v1 --model meta-llama/Meta-Llama-3-8B-Instruct") { output, endpoint, model };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var io = parseResult.InvocationConfiguration;
            var samples = SamplesFolder();
            if (samples is null)
            {
                io.Error.WriteLine("agentrefine demo: the bundled samples were not found (looked in ./samples and beside the tool).");
                return CliApp.ExitUsage;
            }

            var modelName = parseResult.GetValue(model);
            var endpointText = parseResult.GetValue(endpoint);
            if (endpointText is not null && modelName is null)
            {
                io.Error.WriteLine("agentrefine demo: --endpoint needs --model.");
                return CliApp.ExitUsage;
            }

            const string keyVariable = AgentRefineOpenAIOptions.DefaultApiKeyEnvironmentVariable;
            if (modelName is not null && endpointText is null && string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(keyVariable)))
            {
                io.Error.WriteLine($"agentrefine demo: --model {modelName} without --endpoint calls OpenAI (api.openai.com), which needs an API key: set the {keyVariable} environment variable, or add --endpoint URL to use an OpenAI-compatible server (vLLM, Ollama, ...) that needs none. Without --model the demo replays recorded responses.");
                return CliApp.ExitUsage;
            }

            var folder = parseResult.GetRequiredValue(output).FullName;
            if (File.Exists(folder))
            {
                io.Error.WriteLine($"agentrefine demo: cannot write the outputs: '{folder}' is a file, not a directory.");
                return CliApp.ExitUsage;
            }

            return await RunAsync(samples, folder, endpointText, modelName, io.Output, io.Error, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static string? SamplesFolder() =>
        new[] { Path.Combine(Environment.CurrentDirectory, "samples"), Path.Combine(AppContext.BaseDirectory, "samples") }
            .FirstOrDefault(f => File.Exists(Path.Combine(f, "personas.jsonl")) && File.Exists(Path.Combine(f, "replay", "responses.jsonl")) && File.Exists(Path.Combine(f, "replay", "evaluation.jsonl")));

    private static async Task<int> RunAsync(string samples, string folder, string? endpoint, string? model, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var records = Path.Combine(folder, "records.jsonl");
        var rejected = Path.Combine(folder, "records.rejected.jsonl");
        foreach (var file in Directory.GetFiles(folder, "*.jsonl").Concat(Directory.GetFiles(folder, "*.yml")).Concat(Directory.GetFiles(folder, "*.svg")).Concat(Directory.GetFiles(folder, "dataset_info.json")))
        {
            File.Delete(file);
        }

        // 1. Synthesis.
        var live = model is not null;
        output.WriteLine(live
            ? $"1. Synthesis with {model} at {endpoint ?? "api.openai.com"} ({Personas} sample personas)"
            : $"1. Synthesis with the bundled replay client: RECORDED responses from samples/replay, not a live model ({Personas} sample personas)");
        var settings = new SynthesizeCommand.Settings(
            new FileInfo(Path.Combine(samples, "personas.jsonl")),
            new FileInfo(records),
            new FileInfo(rejected),
            Personas,
            null,
            null,
            new SynthesisOptions { MaxConcurrency = 4 },
            new LlmResilienceOptions(),
            new VerifierOptions().MinErrorRefineTurns);
        SynthesizeCommand.ModelRegistration factory = live
            ? services => services.AddAgentRefineOpenAI(o => { o.Endpoint = endpoint is null ? null : new Uri(endpoint, UriKind.Absolute); o.Model = model; })
            : services => services.AddChatClient(_ => ReplayChatClient.Load(Path.Combine(samples, "replay", "responses.jsonl")));
        using var indented = new IndentingWriter(output, "   ");
        var synthesis = await SynthesizeCommand.RunAsync(settings, factory, indented, error, cancellationToken).ConfigureAwait(false);
        if (synthesis != CliApp.ExitOk)
        {
            return synthesis;
        }

        // 2. Verification of the stored records.
        output.WriteLine();
        output.WriteLine("2. Verification of the stored records (every accepted record checked again)");
        using var services = CliServices.Build();
        var statistics = await RecordStatisticsCalculator.ComputeAsync(records, services.GetRequiredService<IVerifierFactory>(), minErrorRefineTurns: null, cancellationToken: cancellationToken).ConfigureAwait(false);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   {statistics.Accepted} accepted records, {statistics.Accepted - statistics.AcceptedFailingVerification} pass verification; {statistics.Turns.Mean:F1} turns and {statistics.ErrorRefineTurns.Mean:F2} error-refine turns on average"));

        // 3. Conversion to every training format.
        output.WriteLine();
        output.WriteLine("3. Conversion to every training format (mistaken turns in context, no loss)");
        foreach (var format in TrainingDatasetWriters.Names)
        {
            var path = Path.Combine(folder, $"train.{format}{TrainingDatasetWriters.DefaultExtension(format)}");
            var writer = TrainingDatasetWriters.Create(format, path);
            await using (writer.ConfigureAwait(false))
            {
                var converted = await DatasetConversion.RunAsync(records, services.GetRequiredService<RefinementTuningConverter>(), writer, cancellationToken: cancellationToken).ConfigureAwait(false);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   {format,-16} {converted.Conversations} conversations, {converted.RowsOut,3} rows, {converted.TrainedTurns} trained / {converted.MaskedTurns} masked turns → {path}"));
            }
        }

        // 4. Scoring.
        output.WriteLine();
        output.WriteLine("4. AgentBoard-style scoring of samples/episodes.jsonl");
        var episodes = await EpisodeReader.ReadAsync(Path.Combine(samples, "episodes.jsonl"), cancellationToken).ToListAsync(cancellationToken).ConfigureAwait(false);
        var report = services.GetRequiredService<AgentBoardScorer>().Score(episodes);
        output.Write(ScoringReportWriter.ToMarkdown(report, new HashSet<string>(StringComparer.Ordinal) { "alfworld" }));
        var scores = Path.Combine(folder, "scores.json");
        var chart = Path.Combine(folder, "long-range.svg");
        await AtomicFile.WriteAllTextAsync(scores, ScoringReportWriter.ToJson(report), cancellationToken).ConfigureAwait(false);
        await AtomicFile.WriteAllTextAsync(chart, SvgCharts.LongRange(report), cancellationToken).ConfigureAwait(false);

        // 5. Evaluation: an agent in a synthesized script played live by a Dungeon Master.
        output.WriteLine();
        output.WriteLine(live
            ? $"5. Evaluation: {model} plays the sample script (samples/verify/script.json) as the agent, with {model} as its Dungeon Master"
            : "5. Evaluation: an agent plays the sample script (samples/verify/script.json) against a Dungeon Master, both RECORDED replies from samples/replay/evaluation.jsonl, not live models");
        var evaluated = Path.Combine(folder, "episodes.jsonl");
        SynthesizeCommand.ModelRegistration players = live
            ? factory
            : services => services.AddChatClient(_ => ReplayGameChatClient.Load(Path.Combine(samples, "replay", "evaluation.jsonl")));
        var evaluation = await EvaluateAsync(samples, evaluated, players, live ? model! : "replay-agent", output, error, cancellationToken).ConfigureAwait(false);
        if (evaluation != CliApp.ExitOk)
        {
            return evaluation;
        }

        output.WriteLine();
        output.WriteLine("Outputs:");
        output.WriteLine($"   records:          {records}");
        output.WriteLine($"   rejected records: {rejected}");
        output.WriteLine($"   datasets:         {Path.Combine(folder, "train.<format>.jsonl")} (train.agentgym.json, a JSON array; + train.axolotl.yml, dataset_info.json, train.llamafactory.yaml)");
        output.WriteLine($"   scores:           {scores}");
        output.WriteLine($"   chart:            {chart}");
        output.WriteLine($"   episodes:         {evaluated}");

        output.WriteLine();
        output.WriteLine("Next:");
        output.WriteLine($"   see a training conversation (masked turns marked):  agentrefine convert --input {Quote(records)} --preview 1");
        output.WriteLine($"   statistics of the records:                          agentrefine stats {Quote(records)}");
        output.WriteLine($"   a dataset for your trainer:                         {Path.Combine(folder, "train.<format>.jsonl")}, one line a conversation (how to train with each: docs/conversion.md)");
        output.WriteLine($"   your trained model on held-out scripts:             agentrefine evaluate scripts --scripts {Quote(records)} --endpoint URL --model NAME --dm-model NAME --output episodes.jsonl");
        output.WriteLine(live
            ? $"   more personas:                                      agentrefine synthesize --personas FILE --output FILE --endpoint URL --model {model}"
            : "   the same with a real model:                         agentrefine demo --endpoint http://localhost:8000/v1 --model NAME");
        return CliApp.ExitOk;
    }

    /// <summary>Step 5: one episode of the sample script; prints its steps and the score table; exit 1 when it could not run.</summary>
    private static async Task<int> EvaluateAsync(string samples, string episodes, SynthesizeCommand.ModelRegistration players, string run, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var provider = CliServices.Build(
            options =>
            {
                options.Agent.Run = run;
                options.Agent.MaxConcurrency = 1;
            },
            services => players(services).UseAgentRefine());
        await using var disposeProvider = provider.ConfigureAwait(false);
        var scripts = await ScriptEnvironment.ReadScriptsAsync(Path.Combine(samples, "verify", "script.json"), cancellationToken: cancellationToken).ConfigureAwait(false);
        var environment = provider.GetRequiredService<ScriptEnvironmentFactory>().Create(scripts);
        var summary = await provider.GetRequiredService<EvaluationRun>().RunAsync(environment, [0], episodes, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (summary.Interrupted)
        {
            error.WriteLine("agentrefine demo: interrupted.");
            return CliApp.ExitNotAccepted;
        }

        var played = await EpisodeReader.ReadAsync(episodes, cancellationToken).ToListAsync(cancellationToken).ConfigureAwait(false);
        if (played.Count == 0 || summary.StoppedBy is not null)
        {
            error.WriteLine($"agentrefine demo: the evaluation could not run: {summary.StoppedBy ?? (summary.Problems.Count > 0 ? summary.Problems[0].Value : "no episode was written")}");
            return CliApp.ExitNotAccepted;
        }

        var episode = played[0];
        for (var i = 0; i < episode.Steps.Count; i++)
        {
            var step = episode.Steps[i];
            var observation = step.Observation.Length > 90 ? step.Observation[..90] + "…" : step.Observation;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   {i + 1,2}. {(step.Valid ? " " : "✗")} {step.Action} → {observation}"));
        }

        if (episode.Error is { } failure)
        {
            output.WriteLine($"   ended early: {failure}");
        }

        var report = new AgentBoardScorer().Score(played);
        output.Write(ScoringReportWriter.ToMarkdown(report));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   grounding {report.Episodes[0].Grounding * 100:F1}% (✗: a step the Dungeon Master flagged); progress is the script environment's own: the share of completion conditions met"));
        return CliApp.ExitOk;
    }

    /// <summary>A path as one shell word: in double quotes when it holds a space.</summary>
    private static string Quote(string path) =>
        path.Contains(' ', StringComparison.Ordinal) ? $"\"{path}\"" : path;

    /// <summary>Indents every line written through it.</summary>
    private sealed class IndentingWriter(TextWriter inner, string indent) : TextWriter
    {
        private bool _lineStart = true;

        public override System.Text.Encoding Encoding => inner.Encoding;

        public override void Write(char value)
        {
            if (_lineStart && value != '\n')
            {
                inner.Write(indent);
                _lineStart = false;
            }

            inner.Write(value);
            _lineStart = value == '\n';
        }
    }
}
