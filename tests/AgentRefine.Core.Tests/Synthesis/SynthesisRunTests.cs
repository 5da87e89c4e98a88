using AgentRefine.Core.Tests.Fakes;
using AgentRefine.Llm;
using AgentRefine.Personas;
using AgentRefine.Scripts;
using AgentRefine.Synthesis;
using AgentRefine.Trajectories;
using AgentRefine.Verification;
using Microsoft.Extensions.AI;

namespace AgentRefine.Core.Tests.Synthesis;

public sealed class SynthesisRunTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("agentrefine-run-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static IAsyncEnumerable<Persona> Personas(int? limit = null) =>
        new PersonaFileSource(new PersonaSourceOptions { Path = Path.Combine(AppContext.BaseDirectory, "samples", "personas.jsonl"), Limit = limit }).ReadAsync();

    private static SynthesisRun Pipeline(IChatClient client, int concurrency = 4)
    {
        var options = new SynthesisOptions { MaxConcurrency = concurrency };
        return new(new PersonaSynthesizer(new LlmScriptGenerator(client), new LlmTrajectorySimulator(client), new RuleBasedVerifier(), options), options);
    }

    private string Accepted => Path.Combine(_folder, "records.jsonl");

    private string Rejected => Path.Combine(_folder, "rejected.jsonl");

    private static List<string> Ids(params string[] files) =>
        files.Where(File.Exists).SelectMany(File.ReadAllLines).Select(l => JsonlRecordStore.ReadId(System.Text.Encoding.UTF8.GetBytes(l))!).ToList();

    private async Task<SynthesisStatistics> RunAsync(IChatClient client, IProgress<SynthesisProgress>? progress = null, int? limit = null, CancellationToken cancellationToken = default)
    {
        await using var store = await JsonlRecordStore.OpenAsync(Accepted, Rejected, CancellationToken.None);
        return await Pipeline(client).RunAsync(Personas(limit), store, progress, cancellationToken);
    }

    [Fact]
    public async Task A_run_writes_one_record_per_persona_with_statistics()
    {
        var client = new SimulatedModelChatClient();
        var statistics = await RunAsync(client);

        var personas = await Personas().ToListAsync();
        var hopeless = personas.Count(p => SimulatedModelChatClient.KindOf(p.Text) == 4);
        statistics.Written.Should().Be(58);
        statistics.Rejected.Should().Be(hopeless).And.BeGreaterThan(0);
        statistics.Accepted.Should().Be(58 - hopeless);
        statistics.RejectedByReason.Should().Equal(new Dictionary<string, int> { ["regex-invalid"] = hopeless });
        statistics.Calls.Should().Be(client.Calls);
        statistics.AverageTurns.Should().Be(23);
        statistics.AverageErrorRefineTurns.Should().Be(3);
        statistics.ErrorTypes.Should().Equal(new Dictionary<string, int> { ["parameter_error"] = statistics.Accepted, ["place_error"] = statistics.Accepted, ["logic_error"] = statistics.Accepted });
        statistics.Interrupted.Should().BeFalse();
        Ids(Accepted).Should().HaveCount(statistics.Accepted).And.OnlyHaveUniqueItems();
        Ids(Rejected).Should().HaveCount(hopeless);
        Ids(Accepted, Rejected).Should().BeEquivalentTo(personas.Select(p => SynthesisRecord.ComputeId(p.Text, null)));
    }

    [Fact]
    public async Task A_second_run_skips_every_stored_persona()
    {
        await RunAsync(new SimulatedModelChatClient());
        var client = new SimulatedModelChatClient();
        var statistics = await RunAsync(client);

        statistics.Skipped.Should().Be(58);
        statistics.Written.Should().Be(0);
        client.Calls.Should().Be(0);
        Ids(Accepted, Rejected).Should().HaveCount(58).And.OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task A_torn_last_line_is_cut_and_its_persona_redone()
    {
        await RunAsync(new SimulatedModelChatClient(), limit: 10);
        var lines = File.ReadAllLines(Accepted);
        var tornId = JsonlRecordStore.ReadId(System.Text.Encoding.UTF8.GetBytes(lines[^1]))!;
        File.WriteAllText(Accepted, string.Join("\n", lines[..^1]) + "\n" + lines[^1][..(lines[^1].Length / 2)]);

        await using (var store = await JsonlRecordStore.OpenAsync(Accepted, Rejected))
        {
            store.TornLinesRemoved.Should().Be(1);
            store.Contains(tornId).Should().BeFalse();
        }

        var statistics = await RunAsync(new SimulatedModelChatClient(), limit: 10);
        statistics.Written.Should().Be(1);
        Ids(Accepted, Rejected).Should().HaveCount(10).And.OnlyHaveUniqueItems().And.Contain(tornId);
        File.ReadAllLines(Accepted).Should().OnlyContain(l => l.StartsWith("{\"id\":", StringComparison.Ordinal) && l.EndsWith('}'));
    }

    [Fact]
    public async Task Cancellation_half_way_then_resume_gives_the_same_records_as_one_run()
    {
        await RunAsync(new SimulatedModelChatClient());
        var expected = Ids(Accepted, Rejected).Order().ToList();
        File.Delete(Accepted);
        File.Delete(Rejected);

        using var cancel = new CancellationTokenSource();
        var progress = new SynchronousProgress(p =>
        {
            if (p.Written >= 20)
            {
                cancel.Cancel();
            }
        });
        var first = await RunAsync(new SimulatedModelChatClient { Latency = TimeSpan.FromMilliseconds(2) }, progress, cancellationToken: cancel.Token);
        first.Interrupted.Should().BeTrue();
        first.Written.Should().BeInRange(20, 57);
        Ids(Accepted, Rejected).Should().HaveCount(first.Written);

        var second = await RunAsync(new SimulatedModelChatClient());
        second.Skipped.Should().Be(first.Written);
        second.Written.Should().Be(58 - first.Written);
        Ids(Accepted, Rejected).Order().Should().Equal(expected);
    }

    [Fact]
    public async Task Thirty_percent_faults_lose_no_persona_and_duplicate_none()
    {
        var model = new SimulatedModelChatClient();
        var faulty = new FaultyChatClient(model, faultRate: 0.3);
        var resilient = new ChatClientBuilder(faulty)
            .UseAgentRefineResilience(new LlmResilienceOptions { MaxRetries = 4, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) })
            .UseAgentRefineCallTimeout(TimeSpan.FromMilliseconds(300))
            .Build();

        var statistics = await RunAsync(resilient);

        faulty.Faults.Should().BeGreaterThan(20);
        statistics.Retries.Should().BeGreaterThan(0);
        statistics.Written.Should().Be(58);
        Ids(Accepted, Rejected).Should().HaveCount(58).And.OnlyHaveUniqueItems();
        var records = File.ReadAllLines(Accepted).Concat(File.ReadAllLines(Rejected)).ToList();
        records.Should().OnlyContain(l => l.Contains("\"status\":\"accepted\"") || l.Contains("\"reason\":"));
    }

    [Fact]
    public async Task A_fatal_failure_stops_the_run_after_writing_what_finished()
    {
        var client = new ScriptedChatClient(SampleFiles.Script, "{\"turns\": " + SampleFiles.Trajectory + "}", new LlmTransportException("Unauthorized", 401));
        await using var store = await JsonlRecordStore.OpenAsync(Accepted, Rejected);
        var pipeline = Pipeline(client, concurrency: 1);

        var act = () => pipeline.RunAsync(Personas(3), store);

        await act.Should().ThrowAsync<LlmTransportException>().WithMessage("Unauthorized");
        Ids(Accepted).Should().HaveCount(1);
    }

    [Fact]
    public async Task An_outage_stores_nothing_and_the_next_run_finishes_every_persona()
    {
        var down = new ScriptedChatClient(Enumerable.Range(0, 4 * 5).Select(_ => (object)new LlmTransportException("Service Unavailable", 503)).ToArray());
        var outage = await RunAsync(down, limit: 5);

        outage.Unfinished.Should().Be(5);
        outage.Written.Should().Be(0);
        Ids(Accepted, Rejected).Should().BeEmpty("an outage never turns personas into rejected records");

        var recovered = await RunAsync(new SimulatedModelChatClient(), limit: 5);
        recovered.Written.Should().Be(5);
        recovered.Skipped.Should().Be(0);
    }

    [Fact]
    public async Task Duplicate_personas_in_the_source_are_synthesized_once()
    {
        var twice = new[] { new Persona("Same persona", "a:1"), new Persona("Same persona", "a:2") }.ToAsyncEnumerable();
        await using var store = await JsonlRecordStore.OpenAsync(Accepted, Rejected);
        var statistics = await Pipeline(new SimulatedModelChatClient()).RunAsync(twice, store);
        statistics.Written.Should().Be(1);
    }

    private sealed class SynchronousProgress(Action<SynthesisProgress> report) : IProgress<SynthesisProgress>
    {
        public void Report(SynthesisProgress value) => report(value);
    }
}
