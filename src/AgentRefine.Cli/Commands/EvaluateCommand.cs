using System.CommandLine;
using System.Globalization;
using AgentRefine.Agents;
using AgentRefine.Environments;
using AgentRefine.Llm;
using AgentRefine.OpenAI;
using AgentRefine.Scoring;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentRefine.Cli.Commands;

/// <summary>
/// <c>agentrefine evaluate agentgym|scripts</c>: runs the agent (an OpenAI-compatible model) in an
/// AgentGym server's environment or in synthesized scripts played by a Dungeon Master model, appends
/// each finished episode to <c>--output</c> (JSON Lines in the scoring contract; an existing file is
/// resumed: its episodes are skipped), and prints the score table. Exit 0 when every episode ran, 1 when
/// interrupted or some episodes could not run or ended by a failure, 2 on bad usage, unreadable input,
/// or a server or model that cannot be reached or used.
/// </summary>
internal static class EvaluateCommand
{
    private const string Name = "evaluate";

    /// <summary>Registers the models (keyed by role); a seam for the demo's replay client and for tests.</summary>
    internal delegate void ModelRegistration(IServiceCollection services);

    public static Command Create(CliEnvironment environment) =>
        new(Name, "Run an agent model in environments and score its episodes the AgentBoard way.\n\nExamples:\n  agentrefine evaluate agentgym --server http://127.0.0.1:36001 --env babyai --ids 0-39 --endpoint http://localhost:8000/v1 --model my-8b --output episodes.jsonl\n  agentrefine evaluate scripts --scripts records.jsonl --endpoint http://localhost:8000/v1 --model my-8b --dm-model gpt-4o --dm-endpoint https://api.openai.com/v1 --limit 50 --output episodes.jsonl")
        {
            AgentGym(environment),
            Scripts(environment),
        };

    private static Command AgentGym(CliEnvironment environment)
    {
        var server = new Option<string>("--server") { Description = "The AgentGym environment server, e.g. http://127.0.0.1:36001.", Required = true };
        OptionRules.RequireHttpAddress(server);
        var env = new Option<string>("--env") { Description = $"The environment family the server runs: {string.Join(", ", AgentGymEnvironment.KnownEnvironments)}, or another name for a server of the common protocol.", Required = true };
        var ids = new Option<string>("--ids") { Description = "The task indices (data_idx): ranges and lists, e.g. 0-39 or 0,3,5-9.", Required = true };
        ids.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1 && TaskIds.Parse(result.Tokens[0].Value, out var problem) is null)
            {
                result.AddError(problem!);
            }
        });
        var common = new CommonOptions();
        var command = new Command("agentgym", "Evaluate the model in an AgentGym environment server (create, reset, step, close per episode). Exit 0 every episode ran; 1 interrupted, or episodes could not run or ended by a failure; 2 bad usage, or the server or model cannot be reached or used.\n\nExample:\n  agentrefine evaluate agentgym --server http://127.0.0.1:36001 --env babyai --ids 0-39 --endpoint http://localhost:8000/v1 --model my-8b --output episodes.jsonl")
        {
            server, env, ids,
        };
        common.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var io = parseResult.InvocationConfiguration;
            var settings = common.Read(parseResult);
            var options = new AgentGymOptions { Server = new Uri(parseResult.GetRequiredValue(server), UriKind.Absolute), Environment = parseResult.GetRequiredValue(env).Trim() };
            var taskIds = TaskIds.Parse(parseResult.GetRequiredValue(ids), out _)!;
            var files = new CommandFiles().Output("--output", settings.Output);
            return await RunAsync(
                environment,
                settings,
                files,
                common.Registration(parseResult, dmModel: null, dmEndpoint: null),
                async (_, token) =>
                {
                    var gym = new AgentGymEnvironment(options);
                    try
                    {
                        await gym.CheckServerAsync(token).ConfigureAwait(false);
                    }
                    catch
                    {
                        gym.Dispose();
                        throw;
                    }

                    if (!gym.IsKnownEnvironment)
                    {
                        io.Output.WriteLine($"Note: '{options.Environment}' is not one of {string.Join(", ", AgentGymEnvironment.KnownEnvironments)}; the common AgentGym protocol is used (reset {{\"id\", \"data_idx\"}}, progress from 'score' else 'reward').");
                    }

                    return (gym, taskIds);
                },
                io.Output,
                io.Error,
                cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static Command Scripts(CliEnvironment environment)
    {
        var scripts = new Option<FileInfo>("--scripts") { Description = "The scripts: a synthesis records file (JSON Lines; every record's script), a script JSON file, or a JSON array of scripts.", Required = true };
        var dmModel = new Option<string>("--dm-model") { Description = "The Dungeon Master's model name.", Required = true };
        var dmEndpoint = new Option<string?>("--dm-endpoint") { Description = "The Dungeon Master's OpenAI-compatible base address (default: --endpoint)." };
        OptionRules.RequireHttpAddress(dmEndpoint);
        var limit = new Option<int?>("--limit") { Description = "Play at most the first N scripts." };
        OptionRules.RequireAtLeast(limit, 1);
        var common = new CommonOptions();
        var command = new Command("scripts", "Evaluate the model on synthesized scripts played live by a Dungeon Master model (held-out environments no benchmark has seen). Exit 0 every episode ran; 1 interrupted, or episodes could not run or ended by a failure; 2 bad usage, unreadable scripts, or a model that cannot be reached or used.\n\nExample:\n  agentrefine evaluate scripts --scripts records.jsonl --endpoint http://localhost:8000/v1 --model my-8b --dm-model gpt-4o --dm-endpoint https://api.openai.com/v1 --limit 50 --output episodes.jsonl")
        {
            scripts, dmModel, dmEndpoint, limit,
        };
        common.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var io = parseResult.InvocationConfiguration;
            var settings = common.Read(parseResult);
            var file = parseResult.GetRequiredValue(scripts);
            var most = parseResult.GetValue(limit);
            var files = new CommandFiles().Input("--scripts", file).Output("--output", settings.Output);
            return await RunAsync(
                environment,
                settings,
                files,
                common.Registration(parseResult, parseResult.GetRequiredValue(dmModel), parseResult.GetValue(dmEndpoint)),
                async (provider, token) =>
                {
                    var read = await ScriptEnvironment.ReadScriptsAsync(file.FullName, most, cancellationToken: token).ConfigureAwait(false);
                    if (read.Count == 0)
                    {
                        throw new InvalidDataException($"'{file.FullName}' holds no script to play.");
                    }

                    var scriptEnvironment = provider.GetRequiredService<ScriptEnvironmentFactory>().Create(read);
                    return (scriptEnvironment, Enumerable.Range(0, read.Count).Select(i => (long)i).ToArray());
                },
                io.Output,
                io.Error,
                cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>What both subcommands take: the agent's model, the prompt, the limits and the output.</summary>
    internal sealed record Settings(string Model, AgentRunnerOptions Runner, FileInfo Output);

    /// <summary>Runs an evaluation: checks the files, builds the services, makes the environment, runs, prints the summary and the score table.</summary>
    internal static async Task<int> RunAsync(
        CliEnvironment environment,
        Settings settings,
        CommandFiles files,
        ModelRegistration registerModels,
        Func<IServiceProvider, CancellationToken, Task<(IAgentEnvironment Environment, IReadOnlyList<long> Ids)>> createEnvironment,
        TextWriter output,
        TextWriter error,
        CancellationToken cancellationToken)
    {
        var command = Name;
        if (files.Problem() is { } problem)
        {
            error.WriteLine($"agentrefine {command}: {problem}");
            return CliApp.ExitUsage;
        }

        ServiceProvider provider;
        try
        {
            provider = CliServices.Build(options => options.Agent = settings.Runner, services => registerModels(services));
        }
        catch (Exception exception) when (exception is InvalidOperationException or ArgumentException)
        {
            error.WriteLine($"agentrefine {command}: {exception.Message}");
            return CliApp.ExitUsage;
        }

        await using var disposeProvider = provider.ConfigureAwait(false);
        IAgentEnvironment target;
        IReadOnlyList<long> ids;
        EvaluationRun run;
        try
        {
            run = provider.GetRequiredService<EvaluationRun>();
            (target, ids) = await createEnvironment(provider, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            error.WriteLine($"agentrefine {command}: interrupted; nothing written.");
            return CliApp.ExitNotAccepted;
        }
        catch (Exception exception) when (exception is AgentEnvironmentException or InvalidDataException or IOException or UnauthorizedAccessException or OptionsValidationException or InvalidOperationException)
        {
            error.WriteLine($"agentrefine {command}: {exception.Message}");
            return CliApp.ExitUsage;
        }

        try
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Evaluating {settings.Model} on {target.Task}: {ids.Count:N0} episodes, at most {settings.Runner.MaxSteps} steps each, {settings.Runner.MaxConcurrency} at a time, '{settings.Runner.Layout.ToString().ToLowerInvariant()}' prompt; episodes appended to '{settings.Output.FullName}'."));
            EvaluationSummary summary;
            try
            {
                summary = await new EvaluationProgressLines(environment, error, $"{command}").RunAsync(progress => run.RunAsync(target, ids, settings.Output.FullName, progress, cancellationToken)).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"agentrefine {command}: cannot append to '{settings.Output.FullName}': {exception.Message}");
                return CliApp.ExitUsage;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                error.WriteLine($"agentrefine {command}: interrupted before any episode ran; '{settings.Output.FullName}' is as it was.");
                return CliApp.ExitNotAccepted;
            }

            return await ReportAsync(environment, command, settings, summary, output, error, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            (target as IDisposable)?.Dispose();
        }
    }

    private static async Task<int> ReportAsync(CliEnvironment environment, string command, Settings settings, EvaluationSummary summary, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var counts = summary.Counts;
        var path = settings.Output.FullName;
        if (summary.TornLinesRemoved > 0)
        {
            output.WriteLine("Resuming: removed a torn last line from the output; its episode was run again.");
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Ran {counts.Finished:N0} episodes ({counts.Succeeded:N0} successful, {counts.Failed:N0} ended by a failure); {counts.Skipped:N0} were already in the output; {counts.NotRun:N0} could not run."));
        foreach (var (id, reason) in summary.Problems)
        {
            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"agentrefine {command}: task {id}: {reason}"));
        }

        // The score table of everything in the output (this run and any earlier one), with the scorer `agentrefine score` uses.
        if (File.Exists(path))
        {
            var scorer = new AgentBoardScorer();
            var aggregator = new ScoreAggregator();
            var reported = false;
            await foreach (var episode in EpisodeReader.ReadAsync(path, CancellationToken.None).ConfigureAwait(false))
            {
                var score = scorer.Score(episode);
                reported |= score.IsEnvironmentProgress;
                aggregator.Add(score);
            }

            var report = aggregator.ToReport();
            if (environment.OutputTerminal is { } terminal)
            {
                terminal.Write(ScoreCommand.Render(ScoringReportWriter.ToTable(report)));
            }
            else
            {
                output.Write(ScoringReportWriter.ToMarkdown(report));
            }

            if (reported)
            {
                output.WriteLine("Progress and success of tasks without an AgentBoard rule (agentgym/*, script) are the environment's own measures, not AgentBoard's progress rate.");
            }
        }

        if (summary.StoppedBy is { } stop)
        {
            error.WriteLine($"agentrefine {command}: stopped: {stop}");
            error.WriteLine($"Every episode finished before it is in '{path}'; fix the cause and rerun the same command to resume.");
            return CliApp.ExitUsage;
        }

        if (summary.Interrupted || cancellationToken.IsCancellationRequested)
        {
            error.WriteLine($"agentrefine {command}: interrupted; the episodes finished so far are in '{path}'; rerun the same command to resume.");
            return CliApp.ExitNotAccepted;
        }

        if (counts.NotRun > 0)
        {
            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"agentrefine {command}: {counts.NotRun:N0} episodes could not run (not written; rerun the same command to retry them)."));
        }

        if (counts.Failed > 0)
        {
            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"agentrefine {command}: {counts.Failed:N0} episodes ended by a model or environment failure; they are in the output with their reason (\"end\", \"error\") and count as AgentBoard counts them; delete their lines to run them again."));
        }

        return summary.IsComplete ? CliApp.ExitOk : CliApp.ExitNotAccepted;
    }

    /// <summary>The options both subcommands share.</summary>
    private sealed class CommonOptions
    {
        private readonly Option<string> _model = new("--model") { Description = "The agent's model name (the run name in the episodes).", Required = true };
        private readonly Option<string?> _endpoint = new("--endpoint") { Description = "The agent's OpenAI-compatible base address, e.g. http://localhost:8000/v1 (vLLM); default OpenAI's." };
        private readonly Option<string> _apiKeyEnv = new("--api-key-env") { Description = "The environment variable holding the API key (never printed); unset is fine for local servers.", DefaultValueFactory = _ => AgentRefineOpenAIOptions.DefaultApiKeyEnvironmentVariable };
        private readonly Option<string> _prompt = new("--prompt") { Description = "The prompt layout: react (the training rows' format) or agentboard (AgentBoard's act-only prompt).", DefaultValueFactory = _ => "react" };
        private readonly Option<int> _maxSteps = new("--max-steps") { Description = "Steps per episode at most.", DefaultValueFactory = _ => AgentRunnerOptions.DefaultMaxSteps };
        private readonly Option<int> _concurrency = new("--concurrency") { Description = "Episodes in flight at once.", DefaultValueFactory = _ => new AgentRunnerOptions().MaxConcurrency };
        private readonly Option<int> _contextLength = new("--context-length") { Description = "The agent model's context length in tokens; the oldest history is dropped to fit (estimated at 3 bytes a token).", DefaultValueFactory = _ => new AgentRunnerOptions().ContextLength };
        private readonly Option<FileInfo> _output = new("--output") { Description = "The episodes (JSON Lines, appended; an existing file is resumed: its episodes are skipped).", Required = true };

        public CommonOptions()
        {
            OptionRules.RequireHttpAddress(_endpoint);
            _prompt.AcceptOnlyFromAmong("react", "agentboard");
            OptionRules.RequireAtLeast(_maxSteps, 1);
            OptionRules.RequireAtLeast(_concurrency, 1);
            OptionRules.RequireAtLeast(_contextLength, 512);
        }

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { _model, _endpoint, _apiKeyEnv, _prompt, _maxSteps, _concurrency, _contextLength, _output })
            {
                command.Options.Add(option);
            }
        }

        public Settings Read(ParseResult parseResult)
        {
            var model = parseResult.GetRequiredValue(_model);
            return new Settings(model, new AgentRunnerOptions
            {
                Run = model,
                Layout = parseResult.GetRequiredValue(_prompt) == "agentboard" ? AgentPromptLayout.AgentBoard : AgentPromptLayout.React,
                MaxSteps = parseResult.GetValue(_maxSteps),
                MaxConcurrency = parseResult.GetValue(_concurrency),
                ContextLength = parseResult.GetValue(_contextLength),
            }, parseResult.GetRequiredValue(_output));
        }

        /// <summary>The agent's model (and the Dungeon Master's, when given) on OpenAI-compatible servers, each keyed by its role with AgentRefine's stages.</summary>
        public ModelRegistration Registration(ParseResult parseResult, string? dmModel, string? dmEndpoint)
        {
            var endpoint = parseResult.GetValue(_endpoint);
            var keyVariable = parseResult.GetRequiredValue(_apiKeyEnv);
            var model = parseResult.GetRequiredValue(_model);
            return services =>
            {
                Add(services, AgentRefineChatRoles.Agent, model, endpoint, keyVariable);
                if (dmModel is not null)
                {
                    Add(services, AgentRefineChatRoles.DungeonMaster, dmModel, dmEndpoint ?? endpoint, keyVariable);
                }
            };
        }

        private static void Add(IServiceCollection services, string role, string model, string? endpoint, string keyVariable) =>
            services.AddKeyedChatClient(role, AgentRefineOpenAI.CreateChatClient(new AgentRefineOpenAIOptions
            {
                Endpoint = endpoint is null ? null : new Uri(endpoint, UriKind.Absolute),
                Model = model,
                ApiKeyEnvironmentVariable = keyVariable,
                NetworkTimeout = TimeSpan.FromMinutes(5),
            })).UseAgentRefine();
    }
}
