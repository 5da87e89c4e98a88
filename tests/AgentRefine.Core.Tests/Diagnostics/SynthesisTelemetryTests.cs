using System.Diagnostics;
using AgentRefine.Core.Tests.Fakes;
using AgentRefine.Diagnostics;
using AgentRefine.Llm;
using AgentRefine.Personas;
using AgentRefine.Synthesis;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace AgentRefine.Core.Tests.Diagnostics;

[Collection(TelemetryTests.Name)]
public sealed class SynthesisTelemetryTests
{
    private static readonly string Persona = Enumerable.Range(0, 200).Select(i => $"A beekeeper who keeps ledger number {i}").First(p => SimulatedModelChatClient.KindOf(p) >= 5);

    [Fact]
    public async Task One_synthesis_produces_a_persona_span_with_its_model_calls_and_the_domain_counters()
    {
        var spans = new List<Activity>();
        var metrics = new List<Metric>();
        long recordsAccepted, scriptVerifications, trajectoryVerifications;
        using (var tracing = Sdk.CreateTracerProviderBuilder().AddSource(AgentRefineTelemetry.Name).AddInMemoryExporter(spans).Build())
        using (var meters = Sdk.CreateMeterProviderBuilder().AddMeter(AgentRefineTelemetry.Name).AddInMemoryExporter(metrics).Build())
        {
            var services = new ServiceCollection().AddAgentRefine();
            services.AddChatClient(new SimulatedModelChatClient()).UseAgentRefine();
            await using var provider = services.BuildServiceProvider();

            var record = await provider.GetRequiredService<SynthesisPipeline>().SynthesizeAsync(new Persona(Persona, "personas.jsonl:7"));

            record.Status.Should().Be(SynthesisStatus.Accepted);
            tracing.ForceFlush();
            meters.ForceFlush();
            recordsAccepted = Sum(metrics, AgentRefineTelemetry.RecordsCounterName, ("status", "accepted"));
            scriptVerifications = Sum(metrics, AgentRefineTelemetry.VerificationsCounterName, ("stage", "script"));
            trajectoryVerifications = Sum(metrics, AgentRefineTelemetry.VerificationsCounterName, ("stage", "trajectory"));
        }

        var persona = spans.Should().ContainSingle(s => s.OperationName == "agentrefine.synthesize_persona").Subject;
        persona.GetTagItem("agentrefine.status").Should().Be("accepted");
        var calls = spans.Where(s => s.OperationName.StartsWith("chat", StringComparison.Ordinal)).ToList();
        calls.Should().HaveCount(2, "one script call and one trajectory call");
        calls.Should().OnlyContain(c => c.ParentSpanId == persona.SpanId);
        spans.Select(s => s.OperationName).Should().Contain(["agentrefine.verify_script", "agentrefine.verify_trajectory"]);
        spans.SelectMany(s => s.TagObjects).Select(t => t.Value?.ToString() ?? string.Empty).Should().NotContain(v => v.Contains("beekeeper", StringComparison.Ordinal), "no prompt text unless sensitive data is enabled");

        recordsAccepted.Should().Be(1);
        scriptVerifications.Should().Be(1);
        trajectoryVerifications.Should().Be(1);
        metrics.Select(m => m.Name).Should().Contain("gen_ai.client.token.usage").And.Contain("gen_ai.client.operation.duration");
    }

    private static long Sum(List<Metric> metrics, string name, (string Key, string Value) tag)
    {
        long total = 0;
        foreach (var metric in metrics.Where(m => m.Name == name))
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                foreach (var pair in point.Tags)
                {
                    if (pair.Key == tag.Key && Equals(pair.Value, tag.Value))
                    {
                        total += point.GetSumLong();
                    }
                }
            }
        }

        return total;
    }
}
