using System.Diagnostics;
using System.Globalization;
using AgentRefine.Agents;
using AgentRefine.Environments;
using Microsoft.Extensions.AI;

namespace AgentRefine.Benchmarks;

/// <summary>
/// The agent runner's own cost and its throughput: (1) CPU per step with a zero-latency model and a
/// zero-latency environment (prompt rendering and token counting over the growing history, action
/// parsing, the episode's JSON line), per prompt layout; (2) steps per second with a model of fixed
/// latency L at several concurrencies, against the ideal concurrency / L. Every run writes a real
/// episodes file to a temporary folder.
/// </summary>
internal static class EvaluationThroughput
{
    private const int StepsPerEpisode = 20;

    public static async Task RunAsync(TextWriter output)
    {
        var folder = Directory.CreateTempSubdirectory("agentrefine-bench-eval-").FullName;
        try
        {
            // Warm-up: JIT and the file system.
            await MeasureAsync(folder, AgentPromptLayout.React, TimeSpan.Zero, concurrency: 2, episodes: 50).ConfigureAwait(false);
            await MeasureAsync(folder, AgentPromptLayout.AgentBoard, TimeSpan.Zero, concurrency: 2, episodes: 50).ConfigureAwait(false);

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Zero-latency model and environment, {StepsPerEpisode} steps per episode, concurrency 2:"));
            output.WriteLine();
            output.WriteLine("| layout | episodes | steps | seconds | steps/s | CPU per step |");
            output.WriteLine("|---|---:|---:|---:|---:|---:|");
            foreach (var layout in new[] { AgentPromptLayout.React, AgentPromptLayout.AgentBoard })
            {
                const int Episodes = 2_000;
                var (seconds, cpu) = await MeasureAsync(folder, layout, TimeSpan.Zero, concurrency: 2, Episodes).ConfigureAwait(false);
                const int Steps = Episodes * StepsPerEpisode;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {layout.ToString().ToLowerInvariant()} | {Episodes:N0} | {Steps:N0} | {seconds:F2} | {Steps / seconds:N0} | {cpu / Steps * 1_000_000:F1} µs |"));
            }

            var latency = TimeSpan.FromMilliseconds(50);
            var calibration = Stopwatch.StartNew();
            for (var i = 0; i < 40; i++)
            {
                await Task.Delay(latency).ConfigureAwait(false);
            }

            var realLatency = calibration.Elapsed.TotalSeconds / 40;
            output.WriteLine();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Model latency L = {latency.TotalMilliseconds:F0} ms (Task.Delay measured at {realLatency * 1000:F1} ms), zero-latency environment, react layout:"));
            output.WriteLine();
            output.WriteLine("| concurrency | episodes | seconds | steps/s | ideal c/L | share of ideal | share of ideal at measured L |");
            output.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var (concurrency, episodes) in new[] { (1, 4), (8, 32), (64, 256) })
            {
                var (seconds, _) = await MeasureAsync(folder, AgentPromptLayout.React, latency, concurrency, episodes).ConfigureAwait(false);
                var rate = episodes * StepsPerEpisode / seconds;
                var ideal = concurrency / latency.TotalSeconds;
                var measuredIdeal = concurrency / realLatency;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {concurrency} | {episodes} | {seconds:F2} | {rate:F1} | {ideal:F1} | {rate / ideal * 100:F1}% | {rate / measuredIdeal * 100:F1}% |"));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Runs <paramref name="episodes"/> episodes; returns the wall-clock seconds and the process CPU seconds.</summary>
    private static async Task<(double Seconds, double CpuSeconds)> MeasureAsync(string folder, AgentPromptLayout layout, TimeSpan latency, int concurrency, int episodes)
    {
        var path = Path.Combine(folder, Guid.NewGuid().ToString("N") + ".jsonl");
        var runner = new AgentRunner(new AgentClient(latency), new AgentRunnerOptions { Layout = layout, MaxConcurrency = concurrency, Run = "bench" });
        var run = new EvaluationRun(runner);
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var summary = await run.RunAsync(new Corridor(), Enumerable.Range(0, episodes).Select(i => (long)i), path).ConfigureAwait(false);
        var seconds = clock.Elapsed.TotalSeconds;
        process.Refresh();
        if (summary.Counts.Finished != episodes)
        {
            throw new InvalidOperationException($"Only {summary.Counts.Finished} of {episodes} episodes ran.");
        }

        return (seconds, (process.TotalProcessorTime - cpuBefore).TotalSeconds);
    }

    /// <summary>A model that always moves forward, after a fixed latency (none: a completed task).</summary>
    private sealed class AgentClient(TimeSpan latency) : IChatClient
    {
        public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            if (latency > TimeSpan.Zero)
            {
                await Task.Delay(latency, cancellationToken).ConfigureAwait(false);
            }

            var reply = options?.StopSequences is { Count: > 0 } ? "move forward" : "Thought: the end of the corridor is ahead, so I keep walking.\nAction: move forward";
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, reply));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    /// <summary>A corridor of <see cref="StepsPerEpisode"/> cells, answered at once.</summary>
    private sealed class Corridor : IAgentEnvironment
    {
        public string Task => "corridor";

        public ValueTask<IEnvironmentEpisode> StartAsync(long taskIndex, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IEnvironmentEpisode>(new Episode());

        private sealed class Episode : IEnvironmentEpisode
        {
            private int _position;

            public EnvironmentStart Start { get; } = new("reach the end of the corridor", "You are at the start of a long corridor. A door is somewhere ahead.")
            {
                Instruction = "Walk down the corridor and open the door at its end.\n",
                Actions = [new EnvironmentAction("move forward", "step ahead"), new EnvironmentAction("look", "describe the corridor")],
            };

            public ValueTask<EnvironmentStepResult> StepAsync(string action, CancellationToken cancellationToken = default)
            {
                _position += action == "move forward" ? 1 : 0;
                var done = _position == StepsPerEpisode;
                return ValueTask.FromResult(new EnvironmentStepResult($"You walk on. You are at cell {_position} of {StepsPerEpisode}; the walls are plain and the floor is dusty.", done) { Progress = (double)_position / StepsPerEpisode, Success = done });
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
