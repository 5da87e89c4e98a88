using System.CommandLine;
using System.Globalization;
using AgentRefine.Llm;
using AgentRefine.OpenAI;
using AgentRefine.Personas;
using AgentRefine.Synthesis;
using AgentRefine.Verification;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace AgentRefine.Cli.Commands;

/// <summary>
/// <c>agentrefine synthesize</c>: personas → verified records with an OpenAI-compatible model.
/// Resumes automatically; exit 0 when the run completed, 1 when it was interrupted (Ctrl+C) or left
/// personas unfinished because model calls kept failing (rerun to retry them), 2 on bad usage,
/// unreadable input, or a server answer that retrying cannot fix (401, 403, 404).
/// </summary>
internal static class SynthesizeCommand
{
    public static Command Create()
    {
        var personas = new Option<FileInfo>("--personas") { Description = "Persona file: Persona Hub JSON Lines ({\"persona\": \"...\"} a line) or plain text, one persona a line.", Required = true };
        var output = new Option<FileInfo>("--output") { Description = "Accepted records (JSON Lines). An existing file is resumed: personas already in it are skipped.", Required = true };
        var rejected = new Option<FileInfo?>("--rejected") { Description = "Rejected records (JSON Lines). Default: the output file name with .rejected.jsonl instead of its extension (records.jsonl → records.rejected.jsonl)." };
        var endpoint = new Option<string>("--endpoint") { Description = "The OpenAI-compatible base address, e.g. https://api.openai.com/v1 or http://localhost:8000/v1.", Required = true };
        OptionRules.RequireHttpAddress(endpoint);
        var model = new Option<string>("--model") { Description = "The model name.", Required = true };
        var apiKeyEnv = new Option<string>("--api-key-env") { Description = "The environment variable holding the API key (never printed).", DefaultValueFactory = _ => AgentRefineOpenAIOptions.DefaultApiKeyEnvironmentVariable };
        var concurrency = new Option<int>("--concurrency") { Description = "Personas in flight at once.", DefaultValueFactory = _ => new SynthesisOptions().MaxConcurrency };
        var limit = new Option<int?>("--limit") { Description = "Take at most N personas (sampled with --seed when given)." };
        var seed = new Option<int?>("--seed") { Description = "Run seed: persona sampling, record ids and model sampling seeds." };
        var maxCalls = new Option<int>("--max-calls") { Description = "LLM generations per persona, script generations included.", DefaultValueFactory = _ => new SynthesisOptions().MaxLlmCallsPerPersona };
        var rpm = new Option<int?>("--rpm") { Description = "Requests per minute (every attempt counts)." };
        var tpm = new Option<int?>("--tpm") { Description = "Tokens per minute (estimated before each request)." };
        var cache = new Option<DirectoryInfo?>("--cache") { Description = "A folder for the response cache: a rerun replays finished calls for free." };
        var timeout = new Option<int>("--timeout") { Description = "Seconds one model call may take (after its rate-limit wait) before it is retried.", DefaultValueFactory = _ => (int)new LlmResilienceOptions().CallTimeout.TotalSeconds };
        var maxRetries = new Option<int>("--max-retries") { Description = "Transport retries per model call (429, 5xx, timeouts), with exponential back-off that honours Retry-After; they never spend a persona's budget.", DefaultValueFactory = _ => new LlmResilienceOptions().MaxRetries };
        var retryDelay = new Option<double>("--retry-delay") { Description = "Seconds before the first transport retry; later ones grow exponentially (with jitter), up to 60 s; a server's Retry-After wins.", DefaultValueFactory = _ => new LlmResilienceOptions().BaseDelay.TotalSeconds };
        retryDelay.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1 && double.TryParse(result.Tokens[0].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value is < 0 or > 60)
            {
                result.AddError("--retry-delay must be between 0 and 60.");
            }
        });
        var minErrorRefine = new Option<int>("--min-error-refine") { Description = "Error-refine turns an accepted trajectory needs.", DefaultValueFactory = _ => new VerifierOptions().MinErrorRefineTurns };
        var fsync = new Option<bool>("--fsync") { Description = "Flush each record through to the disk (fsync) before it counts as written, so a power loss or OS crash loses no stored record. Without it, records survive a killed process (kill -9) but the last seconds can be lost on power loss. Costs throughput; see docs/performance.md." };
        OptionRules.RequireAtLeast(concurrency, 1);
        OptionRules.RequireAtLeast(maxCalls, 2);
        OptionRules.RequireAtLeast(minErrorRefine, 0);
        OptionRules.RequireAtLeast(limit, 0);
        OptionRules.RequireAtLeast(rpm, 1);
        OptionRules.RequireAtLeast(tpm, 1);
        OptionRules.RequireAtLeast(timeout, 1);
        OptionRules.RequireAtLeast(maxRetries, 0);

        var command = new Command("synthesize", "Synthesize AgentRefine records (persona → script → trajectory, verified, at most --max-calls generations per persona) with an OpenAI-compatible model. Resumes automatically. Exit 0 completed; 1 interrupted or personas left unfinished; 2 bad usage, unreadable input, or a server that refuses the key or model or cannot be reached.\n\nExamples:\n  agentrefine synthesize --personas personas.jsonl --output records.jsonl --endpoint http://localhost:8000/v1 --model meta-llama/Meta-Llama-3-70B-Instruct\n  agentrefine synthesize --personas personas.jsonl --output records.jsonl --endpoint https://api.openai.com/v1 --model gpt-4o --cache llm-cache --rpm 500")
        {
            personas, output, rejected, endpoint, model, apiKeyEnv, concurrency, limit, seed, maxCalls, rpm, tpm, cache, timeout, maxRetries, retryDelay, minErrorRefine, fsync,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var outputFile = parseResult.GetRequiredValue(output);
            var settings = new Settings(
                parseResult.GetRequiredValue(personas),
                outputFile,
                parseResult.GetValue(rejected) ?? new FileInfo(Path.ChangeExtension(outputFile.FullName, null) + ".rejected.jsonl"),
                parseResult.GetValue(limit),
                parseResult.GetValue(seed),
                parseResult.GetValue(cache)?.FullName,
                new SynthesisOptions
                {
                    MaxConcurrency = parseResult.GetValue(concurrency),
                    MaxLlmCallsPerPersona = parseResult.GetValue(maxCalls),
                    Seed = parseResult.GetValue(seed),
                    Script = new GenerationOptions { Seed = parseResult.GetValue(seed) },
                    Trajectory = new GenerationOptions { Seed = parseResult.GetValue(seed), MaxOutputTokens = 8_192 },
                },
                new LlmResilienceOptions { RequestsPerMinute = parseResult.GetValue(rpm), TokensPerMinute = parseResult.GetValue(tpm), CallTimeout = TimeSpan.FromSeconds(parseResult.GetValue(timeout)), MaxRetries = parseResult.GetValue(maxRetries), BaseDelay = TimeSpan.FromSeconds(parseResult.GetValue(retryDelay)) },
                parseResult.GetValue(minErrorRefine))
            {
                Endpoint = parseResult.GetRequiredValue(endpoint),
                FlushToDisk = parseResult.GetValue(fsync),
            };
            var io = parseResult.InvocationConfiguration;
            var keyVariable = parseResult.GetRequiredValue(apiKeyEnv);
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(keyVariable)))
            {
                io.Output.WriteLine($"Note: {keyVariable} is not set, so {settings.Endpoint} is called without an API key (fine for local servers such as vLLM or Ollama; set it, or name another variable with --api-key-env, for a server that needs one).");
            }

            ModelRegistration registration = services => services.AddAgentRefineOpenAI(o =>
            {
                o.Endpoint = new Uri(parseResult.GetRequiredValue(endpoint), UriKind.Absolute);
                o.Model = parseResult.GetRequiredValue(model);
                o.ApiKeyEnvironmentVariable = parseResult.GetRequiredValue(apiKeyEnv);
                o.NetworkTimeout = TimeSpan.FromSeconds(parseResult.GetValue(timeout)) + TimeSpan.FromSeconds(5);
            });
            return await RunAsync(settings, registration, io.Output, io.Error, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Registers the model (a seam for the demo's replay client and for tests); returns its pipeline builder, to which the run adds the library's stages.</summary>
    internal delegate ChatClientBuilder ModelRegistration(IServiceCollection services);

    internal sealed record Settings(FileInfo Personas, FileInfo Output, FileInfo Rejected, int? Limit, int? Seed, string? CacheDirectory, SynthesisOptions Synthesis, LlmResilienceOptions Resilience, int MinErrorRefineTurns)
    {
        /// <summary>The model server's address, named when it fails; <see langword="null"/> for the replay client.</summary>
        public string? Endpoint { get; init; }

        /// <summary>Whether each record is flushed through to the disk (<c>--fsync</c>).</summary>
        public bool FlushToDisk { get; init; }
    }

    internal static async Task<int> RunAsync(Settings settings, ModelRegistration registerModel, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (CheckPaths(settings) is { } pathError)
        {
            error.WriteLine($"agentrefine synthesize: {pathError}");
            return CliApp.ExitUsage;
        }

        // Failures show as they happen (the progress bar, or a line per kind in plain output), not only when a persona ends.
        var interactive = IsInteractive(output);
        var failures = new FailureWatch(interactive ? null : output);
        settings.Resilience.OnRetry = failures.OnRetry;

        // One composition root: the same services a host gets from AddAgentRefine, configured from the command line.
        var provider = CliServices.Build(
            options =>
            {
                options.Synthesis = settings.Synthesis;
                options.Synthesis.Resilience = settings.Resilience;
                options.Synthesis.CacheDirectory = settings.CacheDirectory;
                options.Verification.MinErrorRefineTurns = settings.MinErrorRefineTurns;
                options.Personas.Path = settings.Personas.FullName;
                options.Personas.Limit = settings.Limit;
                options.Personas.Seed = settings.Seed;
            },
            services => registerModel(services).UseAgentRefine());
        await using var disposeProvider = provider.ConfigureAwait(false);

        var source = provider.GetRequiredService<IPersonaSource>();
        int total;
        try
        {
            total = await source.ReadAsync(cancellationToken).CountAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"agentrefine synthesize: {exception.Message}");
            return CliApp.ExitUsage;
        }

        SynthesisPipeline pipeline;
        try
        {
            pipeline = provider.GetRequiredService<SynthesisPipeline>();
        }
        catch (InvalidOperationException exception)
        {
            error.WriteLine($"agentrefine synthesize: {exception.Message}");
            return CliApp.ExitUsage;
        }
        catch (IOException exception)
        {
            error.WriteLine($"agentrefine synthesize: {exception.Message}");
            return CliApp.ExitUsage;
        }

        JsonlRecordStore store;
        try
        {
            store = await JsonlRecordStore.OpenAsync(settings.Output.FullName, settings.Rejected.FullName, new JsonlRecordStoreOptions { FlushToDisk = settings.FlushToDisk }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"agentrefine synthesize: cannot open the output files: {exception.Message}");
            return CliApp.ExitUsage;
        }

        await using (store.ConfigureAwait(false))
        {
            if (store.TornLinesRemoved > 0)
            {
                output.WriteLine($"Resuming: removed a torn last line; its persona will be redone.");
            }

            SynthesisStatistics statistics;
            try
            {
                statistics = await RunWithProgressAsync(pipeline, source, store, total, output, interactive, failures, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is LlmTransportException or HttpRequestException)
            {
                var at = settings.Endpoint is null ? string.Empty : $" (endpoint {settings.Endpoint})";
                error.WriteLine($"agentrefine synthesize: stopped: {exception.Message}{at}");
                error.WriteLine("Every record finished before the failure is on disk; rerun the same command to resume.");
                return LlmErrors.IsFatal(exception, CancellationToken.None) ? CliApp.ExitUsage : CliApp.ExitNotAccepted;
            }

            StatisticsReport.Write(statistics, settings.Output.FullName, settings.Rejected.FullName, output);
            if (statistics.Unfinished > 0)
            {
                error.WriteLine($"agentrefine synthesize: {statistics.Unfinished} personas could not be finished because model calls kept failing; they were not stored. Rerun the same command to retry them.");
            }

            return statistics.Interrupted || statistics.Unfinished > 0 ? CliApp.ExitNotAccepted : CliApp.ExitOk;
        }
    }

    /// <summary>Why a path cannot serve, before anything is opened: a missing persona file, or a directory where a file goes (and the reverse).</summary>
    private static string? CheckPaths(Settings settings)
    {
        if (Directory.Exists(settings.Personas.FullName))
        {
            return $"cannot read the persona file: '{settings.Personas.FullName}' is a directory, not a file.";
        }

        if (!settings.Personas.Exists)
        {
            return $"cannot read the persona file '{settings.Personas.FullName}': it does not exist.";
        }

        foreach (var (file, what) in new[] { (settings.Output, "records"), (settings.Rejected, "rejected records") })
        {
            if (Directory.Exists(file.FullName))
            {
                return $"cannot write the {what}: '{file.FullName}' is a directory, not a file.";
            }

            if (FileAmongAncestors(file.Directory) is { } blocking)
            {
                return $"cannot write the {what} to '{file.FullName}': '{blocking}' is a file, not a directory.";
            }
        }

        // Records are appended: an output that is the persona file, or the other output, would mix them.
        if (FilePaths.AreSame(settings.Output.FullName, settings.Personas.FullName))
        {
            return $"--output is the same file as --personas ('{settings.Personas.FullName}'); refusing to append records to the persona file. Choose another --output.";
        }

        if (FilePaths.AreSame(settings.Rejected.FullName, settings.Personas.FullName))
        {
            return $"--rejected is the same file as --personas ('{settings.Personas.FullName}'); refusing to append records to the persona file. Choose another --rejected.";
        }

        if (FilePaths.AreSame(settings.Rejected.FullName, settings.Output.FullName))
        {
            return $"--rejected is the same file as --output ('{settings.Output.FullName}'); accepted and rejected records go to two files. Choose another --rejected.";
        }

        return settings.CacheDirectory is { } cache && File.Exists(cache)
            ? $"cannot use the response cache: '{cache}' is a file, not a directory."
            : null;
    }

    /// <summary>The nearest existing ancestor of <paramref name="folder"/> (itself included) when it is a file, so the folder cannot be created.</summary>
    private static string? FileAmongAncestors(DirectoryInfo? folder)
    {
        for (; folder is not null; folder = folder.Parent)
        {
            if (Directory.Exists(folder.FullName))
            {
                return null;
            }

            if (File.Exists(folder.FullName))
            {
                return folder.FullName;
            }
        }

        return null;
    }

    private static bool IsInteractive(TextWriter output) =>
        ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    private static async Task<SynthesisStatistics> RunWithProgressAsync(SynthesisPipeline pipeline, IPersonaSource source, JsonlRecordStore store, int total, TextWriter output, bool interactive, FailureWatch failures, CancellationToken cancellationToken)
    {
        if (!interactive)
        {
            output.WriteLine($"Synthesizing {total.ToString(CultureInfo.InvariantCulture)} personas ({store.ExistingRecords.ToString(CultureInfo.InvariantCulture)} records already on disk)...");
            return await pipeline.RunAsync(source.ReadAsync(cancellationToken), store, null, cancellationToken).ConfigureAwait(false);
        }

        SynthesisStatistics? statistics = null;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("personas", maxValue: Math.Max(1, total));
                var progress = new Progress<SynthesisProgress>(p =>
                {
                    task.Value = p.Written + p.Skipped;
                    task.Description = $"{p.Accepted} accepted, {p.Rejected} rejected, {p.Skipped} skipped";
                });
                using var refresh = new Timer(_ => task.Description = Describe(task.Description, failures.Latest), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
                statistics = await pipeline.RunAsync(source.ReadAsync(cancellationToken), store, progress, cancellationToken).ConfigureAwait(false);
            }).ConfigureAwait(false);
        return statistics!;
    }

    private static string Describe(string description, string? latestFailure)
    {
        var counts = description.Split(" · last failure ", 2)[0];
        return latestFailure is null ? counts : $"{counts} · last failure {Markup.Escape(latestFailure)}";
    }
}
