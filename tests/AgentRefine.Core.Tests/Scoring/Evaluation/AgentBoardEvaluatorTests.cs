using AgentRefine.Scoring;

namespace AgentRefine.Core.Tests.Scoring;

public class AgentBoardEvaluatorTests
{
    private readonly AgentBoardEvaluator _evaluator = new();

    [Fact]
    public async Task Metrics_have_values_and_reasons()
    {
        var episode = new Episode("m", "scienceworld", 1, "easy", "g", ["a", "b"],
        [
            new EpisodeStep("x", "a", true, false),
            new EpisodeStep("y", "nothing", false, false),
            new EpisodeStep("z", "b", true, false),
        ]);

        var result = await _evaluator.EvaluateAsync(episode);

        result.Metrics.Keys.Should().Equal("Success", "Progress Rate", "Grounding Accuracy");
        result.Get<AgentBooleanMetric>("Success").Should().Be(new AgentBooleanMetric("Success", true, "Succeeded by the scienceworld rule after 3 steps.", []));
        var progress = result.Get<AgentNumericMetric>("Progress Rate");
        progress.Value.Should().Be(1.0);
        progress.Reason.Should().Be("Progress rate 1; it rose at steps 0, 2.");
        result.Get<AgentNumericMetric>("Grounding Accuracy").Reason.Should().Be("2 of 3 steps were valid actions.");
    }

    [Fact]
    public async Task Bad_input_is_reported_never_thrown()
    {
        var none = await _evaluator.EvaluateAsync(null);
        none.Get<AgentNumericMetric>("Progress Rate").Value.Should().BeNull();
        none.Get<AgentNumericMetric>("Progress Rate").Diagnostics.Should().Equal(new AgentEvaluationDiagnostic(AgentDiagnosticSeverity.Error, "no episode was given"));

        var broken = await _evaluator.EvaluateAsync(new Episode("m", "alfworld", 1, null, "g", ["a"], [new EpisodeStep("x", null!, true, false)]));
        broken.Get<AgentBooleanMetric>("Success").HasError.Should().BeTrue();
        broken.Get<AgentBooleanMetric>("Success").Diagnostics.Single().Message.Should().Be("a step has no action or observation");

        var unknown = await _evaluator.EvaluateAsync(new Episode("m", "webarena", 1, null, "g", [], []));
        unknown.Get<AgentNumericMetric>("Grounding Accuracy").Diagnostics.Single().Message.Should().StartWith("no scoring rule for task 'webarena'");

        var act = () => unknown.Get<AgentBooleanMetric>("Progress Rate");
        act.Should().Throw<KeyNotFoundException>();
    }

    [Fact]
    public async Task Scoring_problems_become_warnings()
    {
        var result = await _evaluator.EvaluateAsync(new Episode("m", "alfworld", 1, null, "g", ["(broken"], [new EpisodeStep("x", "y", true, false)]));
        var progress = result.Get<AgentNumericMetric>("Progress Rate");
        progress.Value.Should().Be(0);
        progress.Diagnostics.Single().Severity.Should().Be(AgentDiagnosticSeverity.Warning);
        progress.HasError.Should().BeFalse();
    }
}
