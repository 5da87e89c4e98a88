using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using AgentRefine.Testing;

namespace AgentRefine.Samples.Tests;

/// <summary>samples/AgentRefine.Samples.Hosting, run as its README says: <c>dotnet run --project samples/AgentRefine.Samples.Hosting</c> from the repository root.</summary>
public sealed class HostingSampleTests : IDisposable
{
    private const string Name = "AgentRefine.Samples.Hosting";
    private readonly string _output = Directory.CreateTempSubdirectory("agentrefine-hosting-").FullName;

    public void Dispose() => Directory.Delete(_output, recursive: true);

    private static string Program => typeof(HostingSampleTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "HostingSample").Value!;

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "AgentRefine.Core.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("The repository root was not found.");
    }

    /// <summary>Runs the sample from the repository root, its outputs redirected to a temporary folder.</summary>
    private async Task<(int Exit, string Out, string Err, TimeSpan Elapsed)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = RepositoryRoot(), RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])[Program, "--Sample:OutputDirectory", _output, "--AgentRefine:Synthesis:CacheDirectory", Path.Combine(_output, "llm-cache"), .. args])
        {
            start.ArgumentList.Add(arg);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, (await output).ReplaceLineEndings("\n"), (await error).ReplaceLineEndings("\n"), clock.Elapsed);
    }

    private static int ClosedPort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [Fact]
    public async Task With_no_server_listening_it_stops_within_seconds_with_one_line_naming_the_endpoint()
    {
        var port = ClosedPort();

        var (exit, stdout, stderr, elapsed) = await RunAsync("--Model:Endpoint", $"http://127.0.0.1:{port}/v1");

        exit.Should().Be(1);
        elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30));
        stderr.Should().Be($"{Name}: synthesis stopped: The model server 127.0.0.1:{port} could not be reached: connection refused (is the server running on that port?) No call to this server has succeeded yet, so it is taken to be down or the endpoint to be wrong; not retrying. (Model:Endpoint is http://127.0.0.1:{port}/v1; start the server or point Model:Endpoint at it.)\n");
        stdout.Should().NotContain("SynthesisStatistics {").And.NotContain("   at ", "no stack trace");
    }

    [Fact]
    public async Task With_a_server_it_synthesizes_converts_and_prints_readable_statistics()
    {
        await using var server = await LoopbackOpenAIServer.StartAsync();
        var samples = Path.Combine(RepositoryRoot(), "samples", "verify");
        var script = await File.ReadAllTextAsync(Path.Combine(samples, "script.json"));
        var game = "{\"turns\": " + await File.ReadAllTextAsync(Path.Combine(samples, "trajectory.json")) + "}";
        server.Responder = (body, context) =>
        {
            var system = body["messages"]![0]!["content"]!.GetValue<string>();
            return LoopbackOpenAIServer.WriteCompletionAsync(context, system.StartsWith("You write scripts", StringComparison.Ordinal) ? script : game);
        };

        var (exit, stdout, stderr, _) = await RunAsync("--Model:Endpoint", server.Endpoint.ToString(), "--AgentRefine:Personas:Limit", "3");

        exit.Should().Be(0, stderr);
        stderr.Should().BeEmpty();
        stdout.Should().MatchRegex(@"(?m)^Synthesis: 3 accepted, 0 rejected, 0 already on disk, 0 unfinished; 6 LLM calls \(2\.00 per accepted record, 0 from the cache\) in \d+\.\d s\.$");
        stdout.Should().Contain($"  records:  {Path.Combine(_output, "records.jsonl")}\n  rejected: {Path.Combine(_output, "rejected.jsonl")}\n");
        stdout.Should().Contain("Conversion (ms-swift): 3 conversations from 3 records, 24 trained and 9 masked turns, 0 skipped.\n");
        stdout.Should().Contain($"  dataset:  {Path.Combine(_output, "train.jsonl")}\n");
        (await File.ReadAllLinesAsync(Path.Combine(_output, "train.jsonl"))).Should().HaveCount(3);
    }

    [Fact]
    public async Task A_missing_persona_file_exits_2_saying_where_to_run_it()
    {
        var (exit, _, stderr, _) = await RunAsync("--AgentRefine:Personas:Path", "no-such-personas.jsonl");

        exit.Should().Be(2);
        stderr.Should().Be($"{Name}: the persona file '{Path.Combine(RepositoryRoot(), "no-such-personas.jsonl")}' does not exist: run from the repository root (as the README says), or pass --AgentRefine:Personas:Path FILE.\n");
    }

    [Fact]
    public void Its_settings_are_found_beside_the_program_and_its_outputs_are_git_ignored()
    {
        var settings = JsonNode.Parse(File.ReadAllText(Path.Combine(Path.GetDirectoryName(Program)!, "appsettings.json")))!;
        var output = settings["Sample"]!["OutputDirectory"]!.GetValue<string>();

        output.Should().Be("agentrefine-hosting");
        settings["AgentRefine"]!["Synthesis"]!["CacheDirectory"]!.GetValue<string>().Should().StartWith(output + "/");
        File.ReadAllLines(Path.Combine(RepositoryRoot(), ".gitignore")).Should().Contain(output + "/");
    }
}
