using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using AgentRefine.Testing;
using Microsoft.AspNetCore.Http;

namespace AgentRefine.Cli.Tests;

/// <summary>
/// Reliability drills against a loopback OpenAI-compatible server: crash safety under kill -9, and
/// faults on 30% of requests. Each drill is bounded in time.
/// </summary>
public sealed class ReliabilityDrillTests : IAsyncLifetime, IDisposable
{
    private const string KeyVariable = "AGENTREFINE_DRILL_KEY";
    private const string Key = "sk-drill-secret-0123456789abcdef";
    private static readonly string Script = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "verify", "script.json"));
    private static readonly string Broken = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "verify", "variants", "script-regex-invalid.json"));
    private static readonly string Game = "{\"turns\": " + File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "verify", "trajectory.json")) + "}";
    private readonly string _folder = Directory.CreateTempSubdirectory("agentrefine-drill-").FullName;
    private LoopbackOpenAIServer _server = null!;
    private int _requests;

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable(KeyVariable, Key);
        _server = await LoopbackOpenAIServer.StartAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(KeyVariable, null);
        Directory.Delete(_folder, recursive: true);
    }

    private static string Personas => Path.Combine(AppContext.BaseDirectory, "samples", "personas.jsonl");

    /// <summary>A deterministic model: every fourth persona (by hash) only ever writes a broken script.</summary>
    private static Task Model(JsonObject body, HttpContext context, TimeSpan latency)
    {
        var messages = body["messages"]!.AsArray();
        var system = messages[0]!["content"]!.GetValue<string>();
        var isScript = system.StartsWith("You write scripts", StringComparison.Ordinal);
        var persona = isScript ? messages[1]!["content"]!.GetValue<string>() : string.Empty;
        var text = !isScript ? Game : SHA256.HashData(Encoding.UTF8.GetBytes(persona))[0] % 4 == 0 ? Broken : Script;
        return Task.Delay(latency).ContinueWith(_ => LoopbackOpenAIServer.WriteCompletionAsync(context, text, model: "drill-model"), TaskScheduler.Default).Unwrap();
    }

    private static List<string> Ids(params string[] files) =>
        files.Where(File.Exists).SelectMany(File.ReadAllLines).Select(line => JsonNode.Parse(line)!["id"]!.GetValue<string>()).ToList();

    private string[] SynthesizeArgs(string output, params string[] extra) =>
        ["synthesize", "--personas", Personas, "--output", output, "--endpoint", _server.Endpoint.ToString(), "--model", "drill", "--api-key-env", KeyVariable, .. extra];

    [Fact]
    public async Task Kill_minus_nine_ten_times_then_resume_gives_the_records_of_one_uninterrupted_run()
    {
        _server.Responder = (body, context) => Model(body, context, TimeSpan.FromMilliseconds(40));
        var reference = Path.Combine(_folder, "reference", "records.jsonl");
        Cli.Run(SynthesizeArgs(reference, "--concurrency", "2")).Exit.Should().Be(0);
        var expected = Ids(reference, Path.ChangeExtension(reference, null) + ".rejected.jsonl");
        expected.Should().HaveCount(58).And.OnlyHaveUniqueItems();

        var output = Path.Combine(_folder, "killed", "records.jsonl");
        var rejected = Path.ChangeExtension(output, null) + ".rejected.jsonl";
        var tool = Path.Combine(AppContext.BaseDirectory.Replace(Path.Combine("tests", "AgentRefine.Cli.Tests"), Path.Combine("src", "AgentRefine.Cli"), StringComparison.Ordinal), "agentrefine.dll");
        var random = new Random(20261121);
        var writtenAfterKill = new List<int>();
        for (var kill = 0; kill < 10; kill++)
        {
            using var process = Start(tool, SynthesizeArgs(output, "--concurrency", "2"));
            await Task.Delay(random.Next(250, 1500));
            process.Kill(entireProcessTree: true); // SIGKILL on Linux: no clean-up runs
            await process.WaitForExitAsync();
            writtenAfterKill.Add(Ids(output, rejected).Count);
        }

        using (var final = Start(tool, SynthesizeArgs(output, "--concurrency", "2")))
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await final.WaitForExitAsync(limit.Token); // throws if the resumed run does not finish in time
            final.ExitCode.Should().Be(0);
        }

        writtenAfterKill[0].Should().BeLessThan(58, "the first kill lands in the middle of the run");
        writtenAfterKill.Count(written => written < 58).Should().BeGreaterThanOrEqualTo(3, $"several kills must interrupt the run (records after each kill: {string.Join(", ", writtenAfterKill)})");
        var ids = Ids(output, rejected);
        ids.Should().OnlyHaveUniqueItems("a resume never duplicates a record");
        ids.Order().Should().Equal(expected.Order(), "the records are those of one uninterrupted run");
        foreach (var line in File.ReadAllLines(output).Concat(File.ReadAllLines(rejected)))
        {
            JsonNode.Parse(line)!["status"]!.GetValue<string>().Should().BeOneOf("accepted", "rejected");
        }

        File.ReadAllText(output).Should().EndWith("\n", "no torn last line");
    }

    [Fact]
    public void Thirty_percent_faults_end_every_persona_accepted_or_rejected_and_the_key_never_leaks()
    {
        _server.Responder = async (body, context) =>
        {
            var n = Interlocked.Increment(ref _requests);
            var roll = SHA256.HashData(BitConverter.GetBytes(n));
            if (roll[0] < 77)
            {
                switch (roll[1] % 4)
                {
                    case 0:
                        context.Response.StatusCode = 429;
                        context.Response.Headers["Retry-After"] = "0";
                        await context.Response.WriteAsync($"{{\"error\": {{\"message\": \"Rate limit reached for key {Key}\"}}}}");
                        return;
                    case 1:
                        context.Response.StatusCode = 500;
                        return;
                    case 2:
                        await Task.Delay(TimeSpan.FromSeconds(4), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                        return;
                    default:
                        await LoopbackOpenAIServer.WriteCompletionAsync(context, Game[..(Game.Length / 3)], model: "drill-model");
                        return;
                }
            }

            await Model(body, context, TimeSpan.Zero);
        };
        var output = Path.Combine(_folder, "faults", "records.jsonl");
        var rejected = Path.ChangeExtension(output, null) + ".rejected.jsonl";
        var clock = Stopwatch.StartNew();

        var (exit, stdout, stderr) = Cli.Run(SynthesizeArgs(output, "--limit", "24", "--concurrency", "4", "--timeout", "1", "--max-retries", "8", "--retry-delay", "0.01"));

        exit.Should().Be(0, stderr);
        stdout.Should().NotContain("unfinished");
        var ids = Ids(output, rejected);
        ids.Should().HaveCount(24).And.OnlyHaveUniqueItems("every persona ends accepted or rejected, none lost or duplicated");
        File.ReadAllLines(rejected).Should().OnlyContain(line => JsonNode.Parse(line)!["reason"] != null);
        _requests.Should().BeGreaterThan(60);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromMinutes(2), "no hang");
        var everything = stdout + stderr + File.ReadAllText(output) + File.ReadAllText(rejected);
        everything.Should().NotContain(Key);
    }

    private static Process Start(string tool, string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(tool);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
