using AgentRefine.Core.Tests.Fakes;
using AgentRefine.Personas;
using AgentRefine.Scripts;
using AgentRefine.Synthesis;
using AgentRefine.Trajectories;
using AgentRefine.Verification;

namespace AgentRefine.Core.Tests.Synthesis;

/// <summary>The façade: one persona through its synthesizer, many through its run.</summary>
public class SynthesisPipelineTests
{
    private static readonly Persona Baker = new("A home baker preparing sourdough loaves", "personas.jsonl:2");
    private static readonly string Game = "{\"turns\": " + SampleFiles.Trajectory + "}";

    private static SynthesisPipeline Create(ScriptedChatClient client) =>
        new(new LlmScriptGenerator(client), new LlmTrajectorySimulator(client), new RuleBasedVerifier(), new SynthesisOptions { MaxConcurrency = 1, Seed = 5 });

    [Fact]
    public async Task SynthesizeAsync_is_the_synthesizers_loop()
    {
        var record = await Create(new ScriptedChatClient(SampleFiles.Script, Game)).SynthesizeAsync(Baker);

        record.Id.Should().Be(SynthesisRecord.ComputeId(Baker.Text, 5));
        record.Verdicts.Select(v => $"{v.StageName}:{v.Outcome}").Should().Equal("script:accepted", "trajectory:accepted");
    }

    [Fact]
    public async Task RunAsync_is_the_run_over_the_same_synthesizer()
    {
        var store = new MemoryStore();
        var client = new ScriptedChatClient(SampleFiles.Script, Game);

        var statistics = await Create(client).RunAsync(new[] { Baker, Baker }.ToAsyncEnumerable(), store);

        statistics.Written.Should().Be(1, "the repeated persona is synthesized once");
        statistics.Accepted.Should().Be(1);
        store.Records.Select(r => r.Id).Should().Equal(SynthesisRecord.ComputeId(Baker.Text, 5));
        client.Requests.Should().HaveCount(2);
    }

    private sealed class MemoryStore : ISynthesisRecordStore
    {
        public List<SynthesisRecord> Records { get; } = [];

        public bool Contains(string id) => Records.Exists(r => r.Id == id);

        public ValueTask AppendAsync(SynthesisRecord record, CancellationToken cancellationToken = default)
        {
            Records.Add(record);
            return ValueTask.CompletedTask;
        }
    }
}
