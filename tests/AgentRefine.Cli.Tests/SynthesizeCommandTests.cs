using System.Text.Json.Nodes;
using AgentRefine.Testing;
using Microsoft.AspNetCore.Http;

namespace AgentRefine.Cli.Tests;

public sealed class SynthesizeCommandTests : IAsyncLifetime, IDisposable
{
    private const string KeyVariable = "AGENTREFINE_CLI_TEST_KEY";
    private const string Key = "sk-cli-secret-0123456789";
    private readonly string _folder = Directory.CreateTempSubdirectory("agentrefine-cli-").FullName;
    private LoopbackOpenAIServer _server = null!;

    private static string Sample(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "verify", name));

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable(KeyVariable, Key);
        _server = await LoopbackOpenAIServer.StartAsync();
        var script = Sample("script.json");
        var game = "{\"turns\": " + Sample("trajectory.json") + "}";
        _server.Responder = (body, context) =>
        {
            var system = body["messages"]![0]!["content"]!.GetValue<string>();
            return LoopbackOpenAIServer.WriteCompletionAsync(context, system.StartsWith("You write scripts", StringComparison.Ordinal) ? script : game, model: "loopback-llama");
        };
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(KeyVariable, null);
        Directory.Delete(_folder, recursive: true);
    }

    private string Personas(params string[] lines)
    {
        var path = Path.Combine(_folder, "personas.jsonl");
        File.WriteAllLines(path, lines);
        return path;
    }

    private string Output => Path.Combine(_folder, "out", "records.jsonl");

    private (int Exit, string Out, string Err) Synthesize(string personas, params string[] extra)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        string[] args = ["synthesize", "--personas", personas, "--output", Output, "--endpoint", _server.Endpoint.ToString(), "--model", "llama", "--api-key-env", KeyVariable, "--concurrency", "2", .. extra];
        var exit = CliApp.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public void A_run_writes_records_prints_statistics_and_resumes()
    {
        var personas = Personas("{\"persona\": \"A baker\"}", "A pilot", "A nurse", "", "A pilot");
        var cache = Path.Combine(_folder, "cache");

        var (exit, output, error) = Synthesize(personas, "--cache", cache, "--seed", "3");

        exit.Should().Be(0, error);
        error.Should().BeEmpty();
        output.Should().Contain("Synthesis finished.").And.Contain("records written:      3 (3 accepted, 0 rejected, 100.0% accepted)");
        output.Should().Contain("LLM calls:            6 (2.00 per accepted record), 0 transport retries, 0 from cache");
        output.Should().Contain("accepted games:       23.0 turns, 3.00 error-refine turns on average");
        output.Should().Contain("error types:          parameter_error 3, place_error 3, logic_error 3");
        var lines = File.ReadAllLines(Output);
        lines.Should().HaveCount(3);
        var record = JsonNode.Parse(lines[0])!;
        record["status"]!.GetValue<string>().Should().Be("accepted");
        record["provenance"]!["models"]!.ToJsonString().Should().Be("[\"loopback-llama\"]");
        record["provenance"]!["seed"]!.GetValue<int>().Should().Be(3);
        File.Exists(Path.Combine(_folder, "out", "records.rejected.jsonl")).Should().BeTrue();
        _server.Requests.Should().HaveCount(6);
        _server.Requests.Should().OnlyContain(r => r.Headers["Authorization"] == "Bearer " + Key);

        var again = Synthesize(personas, "--cache", cache, "--seed", "3");
        again.Exit.Should().Be(0);
        again.Out.Should().Contain("records written:      0 (0 accepted, 0 rejected").And.Contain("skipped (on disk):    3");
        _server.Requests.Should().HaveCount(6, "a resumed run makes no call for stored personas");

        // A fresh output with the same cache replays every call from disk.
        File.Delete(Output);
        var replay = Synthesize(personas, "--cache", cache, "--seed", "3");
        replay.Out.Should().Contain("6 from cache");
        _server.Requests.Should().HaveCount(6);

        var everything = output + error + again.Out + again.Err + replay.Out + string.Concat(Directory.GetFiles(_folder, "*", SearchOption.AllDirectories).Select(File.ReadAllText));
        everything.Should().NotContain(Key, "the API key never reaches output, logs or files");
    }

    [Fact]
    public void A_fatal_server_answer_exits_2_without_the_key()
    {
        _server.ReplyError(401, $"Incorrect API key provided: {Key}");
        var (exit, output, error) = Synthesize(Personas("A baker"));

        exit.Should().Be(2);
        error.Should().StartWith($"agentrefine synthesize: stopped: The model server {_server.Endpoint.Authority} answered 401 Unauthorized: Incorrect API key provided: [redacted]");
        (output + error).Should().NotContain(Key);
    }

    [Fact]
    public void Personas_left_unfinished_by_server_errors_exit_1_and_are_retried()
    {
        _server.Responder = (_, context) =>
        {
            context.Response.StatusCode = 503;
            return Task.CompletedTask;
        };
        var personas = Personas("A baker");

        var (exit, output, error) = Synthesize(personas, "--max-calls", "2", "--max-retries", "0");

        exit.Should().Be(1);
        output.Should().Contain("unfinished:           1 (model calls kept failing; not stored, retried by the next run)");
        error.Should().Be("agentrefine synthesize: 1 personas could not be finished because model calls kept failing; they were not stored. Rerun the same command to retry them." + Environment.NewLine);
        File.ReadAllText(Output).Should().BeEmpty();
    }

    [Fact]
    public void A_server_that_is_not_there_stops_the_run_within_seconds_naming_the_endpoint()
    {
        var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var endpoint = $"http://127.0.0.1:{port}/v1";
        using var output = new StringWriter();
        using var error = new StringWriter();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var exit = CliApp.Run(["synthesize", "--personas", Personas("A baker", "A pilot", "A nurse"), "--output", Output, "--endpoint", endpoint, "--model", "llama", "--api-key-env", KeyVariable], output, error);

        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
        exit.Should().Be(2);
        error.ToString().Should().StartWith($"agentrefine synthesize: stopped: The model server 127.0.0.1:{port} could not be reached: connection refused (is the server running on that port?) No call to this server has succeeded yet, so it is taken to be down or the endpoint to be wrong; not retrying. (endpoint {endpoint})");
        File.ReadAllText(Output).Should().BeEmpty();
    }

    [Fact]
    public void Failures_show_as_they_happen_and_the_summary_counts_their_retries_and_last_errors()
    {
        var calls = 0;
        _server.Responder = (body, context) =>
        {
            if (Interlocked.Increment(ref calls) <= 3)
            {
                context.Response.StatusCode = 503;
                return context.Response.WriteAsync("{\"error\":{\"message\":\"overloaded\"}}");
            }

            context.Response.StatusCode = 500;
            return context.Response.WriteAsync("{\"error\":{\"message\":\"boom\"}}");
        };

        var (exit, output, error) = Synthesize(Personas("A baker"), "--max-calls", "2", "--max-retries", "2", "--retry-delay", "0");

        exit.Should().Be(1, error);
        var lines = output.Split(Environment.NewLine);
        lines.Should().Contain($"Model call failed (HTTP 503), retry 1 in 0 s: The model server {_server.Endpoint.Authority} answered 503 Service Unavailable: overloaded");
        lines.Count(l => l.StartsWith("Model call failed (HTTP 503)", StringComparison.Ordinal)).Should().Be(1, "one line per kind of failure every 10 s");
        lines.Should().Contain(l => l.StartsWith("Model call failed (HTTP 500)", StringComparison.Ordinal));
        output.Should().Contain("LLM calls:            2 (0.00 per accepted record), 4 transport retries, 0 from cache", "2 generations, each tried 3 times");
        output.Should().Contain("failed calls:         2 (after their retries); the last error of each kind:");
        output.Should().Contain($"    HTTP 500: The model server {_server.Endpoint.Authority} answered 500 Internal Server Error: boom");
    }

    [Fact]
    public void An_output_that_is_the_persona_file_or_the_other_output_is_refused_before_anything_is_written()
    {
        var personas = Personas("A baker", "A pilot");
        var before = File.ReadAllText(personas);
        using var output = new StringWriter();
        using var error = new StringWriter();
        string[] common = ["--endpoint", _server.Endpoint.ToString(), "--model", "llama", "--api-key-env", KeyVariable];

        CliApp.Run(["synthesize", "--personas", personas, "--output", personas, .. common], output, error).Should().Be(2);
        error.ToString().Should().Be($"agentrefine synthesize: --output is the same file as --personas ('{personas}'); refusing to append records to the persona file. Choose another --output.{Environment.NewLine}");

        var records = Path.Combine(_folder, "records.jsonl");
        using var error2 = new StringWriter();
        CliApp.Run(["synthesize", "--personas", personas, "--output", records, "--rejected", Path.Combine(_folder, ".", "records.jsonl"), .. common], output, error2).Should().Be(2);
        error2.ToString().Should().Be($"agentrefine synthesize: --rejected is the same file as --output ('{records}'); accepted and rejected records go to two files. Choose another --rejected.{Environment.NewLine}");

        File.ReadAllText(personas).Should().Be(before);
        File.Exists(records).Should().BeFalse();
        _server.Requests.Should().BeEmpty();
    }

    [Fact]
    public void A_bad_persona_line_exits_2_naming_file_and_line()
    {
        var (exit, _, error) = Synthesize(Personas("A baker", "{\"persona\": 3}"));
        exit.Should().Be(2);
        error.Should().Be("agentrefine synthesize: personas.jsonl:2: the JSON object has no \"persona\" string." + Environment.NewLine);
        _server.Requests.Should().BeEmpty();
    }

    [Fact]
    public void A_binary_persona_file_exits_2_naming_file_and_line()
    {
        var image = Path.Combine(_folder, "logo.png");
        File.WriteAllBytes(image, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52]);

        var (exit, output, error) = Synthesize(image);

        exit.Should().Be(2);
        error.Should().Be("agentrefine synthesize: logo.png:1: not a persona file: the line is not valid UTF-8: a binary file, or text in another encoding (save it as UTF-8). A persona file is text, one persona a line (or {\"persona\": \"...\"} JSON Lines)." + Environment.NewLine);
        output.Should().BeEmpty();
        _server.Requests.Should().BeEmpty();
        File.Exists(Output).Should().BeFalse("nothing is opened for writing");
    }

    [Fact]
    public void A_directory_as_persona_file_exits_2_saying_it_is_a_directory()
    {
        var (exit, _, error) = Synthesize(_folder);

        exit.Should().Be(2);
        error.Should().Be($"agentrefine synthesize: cannot read the persona file: '{_folder}' is a directory, not a file." + Environment.NewLine);
        _server.Requests.Should().BeEmpty();
    }

    [Theory]
    [InlineData("--output", "records")]
    [InlineData("--rejected", "rejected records")]
    public void A_directory_as_output_file_exits_2_saying_it_is_a_directory(string option, string what)
    {
        var directory = Directory.CreateDirectory(Path.Combine(_folder, "a-folder")).FullName;
        using var error = new StringWriter();
        string[] args = ["synthesize", "--personas", Personas("A baker"), "--output", option == "--output" ? directory : Output, "--rejected", option == "--rejected" ? directory : Output + ".rejected", "--endpoint", _server.Endpoint.ToString(), "--model", "llama", "--api-key-env", KeyVariable];

        var exit = CliApp.Run(args, TextWriter.Null, error);

        exit.Should().Be(2);
        error.ToString().Should().Be($"agentrefine synthesize: cannot write the {what}: '{directory}' is a directory, not a file." + Environment.NewLine);
        _server.Requests.Should().BeEmpty();
    }

    [Fact]
    public void An_output_inside_a_file_exits_2_naming_the_file()
    {
        var personas = Personas("A baker");
        using var error = new StringWriter();

        var exit = CliApp.Run(["synthesize", "--personas", personas, "--output", Path.Combine(personas, "out", "records.jsonl"), "--endpoint", _server.Endpoint.ToString(), "--model", "llama", "--api-key-env", KeyVariable], TextWriter.Null, error);

        exit.Should().Be(2);
        error.ToString().Should().Be($"agentrefine synthesize: cannot write the records to '{Path.Combine(personas, "out", "records.jsonl")}': '{personas}' is a file, not a directory." + Environment.NewLine);
        _server.Requests.Should().BeEmpty();
    }

    [Fact]
    public void A_file_as_cache_folder_exits_2_saying_it_is_a_file()
    {
        var personas = Personas("A baker");

        var (exit, _, error) = Synthesize(personas, "--cache", personas);

        exit.Should().Be(2);
        error.Should().Be($"agentrefine synthesize: cannot use the response cache: '{personas}' is a file, not a directory." + Environment.NewLine);
        _server.Requests.Should().BeEmpty();
    }

    [Fact]
    public void Fsync_flushes_every_record_and_resumes_like_any_run()
    {
        var personas = Personas("A baker", "A pilot");

        var (exit, output, error) = Synthesize(personas, "--fsync");

        exit.Should().Be(0, error);
        output.Should().Contain("records written:      2 (2 accepted, 0 rejected, 100.0% accepted)");
        File.ReadAllLines(Output).Should().HaveCount(2);
        Synthesize(Personas("A baker", "A pilot", "A nurse"), "--fsync").Out.Should().Contain("records written:      1 (1 accepted").And.Contain("skipped (on disk):    2");
    }

    [Theory]
    [InlineData("--max-calls", "1", "agentrefine: --max-calls must be 2 or more.")]
    [InlineData("--tpm", "0", "agentrefine: --tpm must be 1 or more.")]
    [InlineData("--limit", "-1", "agentrefine: --limit must be 0 or more.")]
    [InlineData("--rpm", "0", "agentrefine: --rpm must be 1 or more.")]
    public void Out_of_range_options_exit_2(string option, string value, string message)
    {
        var (exit, _, error) = Synthesize(Personas("A baker"), option, value);
        exit.Should().Be(2);
        error.Split(Environment.NewLine)[0].Should().Be(message);
    }

    [Fact]
    public void A_bad_endpoint_exits_2()
    {
        using var error = new StringWriter();
        CliApp.Run(["synthesize", "--personas", "p", "--output", "o", "--endpoint", "localhost:8000", "--model", "m"], TextWriter.Null, error).Should().Be(2);
        error.ToString().Should().StartWith("agentrefine: --endpoint must be an absolute http or https address, found 'localhost:8000'.");
    }

    [Fact]
    public void Required_options_are_enforced()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        CliApp.Run(["synthesize", "--personas", "p.jsonl", "--output", "o.jsonl"], output, error).Should().Be(2);
        error.ToString().Should().Contain("Option '--endpoint' is required.").And.Contain("Option '--model' is required.");
    }

    [Fact]
    public void Help_lists_every_option()
    {
        using var output = new StringWriter();
        CliApp.Run(["synthesize", "--help"], output, TextWriter.Null).Should().Be(0);
        foreach (var option in new[] { "--personas", "--output", "--rejected", "--endpoint", "--model", "--api-key-env", "--concurrency", "--limit", "--seed", "--max-calls", "--rpm", "--tpm", "--cache", "--fsync" })
        {
            output.ToString().Should().Contain(option);
        }
    }
}
