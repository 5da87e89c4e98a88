using AgentRefine.Core.Tests.Fakes;
using AgentRefine.Scoring;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace AgentRefine.Core.Tests.Scoring;

public class AgentBoardEvaluatorTests
{
    private const string NoContext = "no AgentBoardEpisodeContext in the additional context (pass the episode as new AgentBoardEpisodeContext(episode))";

    private static readonly string[] MetricNames = ["Success", "Progress Rate", "Grounding Accuracy"];

    private readonly AgentBoardEvaluator _evaluator = new();

    private static readonly Episode SciWorld = new("m", "scienceworld", 1, "easy", "boil water", ["a", "b"],
    [
        new EpisodeStep("x", "a", true, false),
        new EpisodeStep("y", "nothing", false, false),
        new EpisodeStep("z", "b", true, false),
    ]);

    /// <summary>Every bundled sample episode (samples/episodes.jsonl, in file order): its metrics' values and reasons.</summary>
    public static TheoryData<int, bool, double, double, string, string, string> SampleEpisodes => new()
    {
        { 0, true, 1.0, 1.0, "Succeeded by the alfworld rule after 4 steps.", "Progress rate 1; it rose at steps 1, 2, 3.", "4 of 4 steps were valid actions." },
        { 1, true, 1.0, 1.0, "Succeeded by the scienceworld rule after 4 steps.", "Progress rate 1; it rose at steps 1, 2, 3.", "4 of 4 steps were valid actions." },
        { 2, true, 2.0 / 3, 1.0, "Succeeded by the babyai rule after 2 steps.", "Progress rate 0.667; it rose at steps 0, 1.", "2 of 2 steps were valid actions." },
        { 3, true, 1.0, 1.0, "Succeeded by the jericho rule after 3 steps.", "Progress rate 1; it rose at steps 0, 2.", "3 of 3 steps were valid actions." },
        { 4, true, 1.0, 1.0, "Succeeded by the pddl rule after 2 steps.", "Progress rate 1; it rose at step 1.", "2 of 2 steps were valid actions." },
        { 5, false, 0.25, 2.0 / 3, "Did not succeed by the alfworld rule after 3 steps.", "Progress rate 0.25; it rose at step 2.", "2 of 3 steps were valid actions." },
        { 6, false, 1.0 / 3, 0.75, "Did not succeed by the scienceworld rule after 4 steps.", "Progress rate 0.333; it rose at step 1.", "3 of 4 steps were valid actions." },
        { 7, false, 1.0 / 3, 1.0, "Did not succeed by the babyai rule after 2 steps.", "Progress rate 0.333; it rose at step 0.", "2 of 2 steps were valid actions." },
        { 8, false, 0.0, 1.0, "Did not succeed by the jericho rule after 3 steps.", "Progress rate 0; it never rose.", "3 of 3 steps were valid actions." },
        { 9, false, 0.5, 1.0, "Did not succeed by the pddl rule after 2 steps.", "Progress rate 0.5; it rose at step 1.", "2 of 2 steps were valid actions." },
    };

    [Fact]
    public void The_metric_names_are_agentboards()
    {
        _evaluator.EvaluationMetricNames.Should().Equal(MetricNames);
    }

    [Theory]
    [MemberData(nameof(SampleEpisodes))]
    public async Task Sample_episodes_have_exact_values_reasons_and_interpretations(int index, bool success, double progress, double grounding, string successReason, string progressReason, string groundingReason)
    {
        var episodes = await EpisodeReader.ReadAsync(Path.Combine(AppContext.BaseDirectory, "samples", "episodes.jsonl")).ToListAsync();
        var context = new AgentBoardEpisodeContext(episodes[index]);

        var result = await _evaluator.EvaluateAsync([], new ChatResponse(), additionalContext: [context]);

        result.Metrics.Keys.Should().Equal(MetricNames);
        var s = result.Get<BooleanMetric>("Success");
        var p = result.Get<NumericMetric>("Progress Rate");
        var g = result.Get<NumericMetric>("Grounding Accuracy");
        (s.Value, s.Reason, p.Value, p.Reason, g.Value, g.Reason).Should().Be((success, successReason, progress, progressReason, grounding, groundingReason));
        s.Interpretation!.Rating.Should().Be(success ? EvaluationRating.Good : EvaluationRating.Unacceptable);
        s.Interpretation.Failed.Should().Be(!success);
        s.Interpretation.Reason.Should().Be(success ? "The episode met its task's success rule." : "The episode did not meet its task's success rule.");
        p.Interpretation.Should().BeNull("AgentBoard defines no pass mark for progress");
        g.Interpretation.Should().BeNull("AgentBoard defines no pass mark for grounding");
        foreach (var metric in new EvaluationMetric[] { s, p, g })
        {
            metric.Diagnostics.Should().BeNull();
            metric.Context.Should().ContainSingle().Which.Should().BeEquivalentTo(new KeyValuePair<string, EvaluationContext>("AgentBoard Episode", context));
            metric.Context!["AgentBoard Episode"].Should().BeSameAs(context);
        }
    }

    [Fact]
    public async Task The_episode_extension_gives_the_same_metrics()
    {
        var result = await _evaluator.EvaluateAsync(SciWorld);

        result.Get<BooleanMetric>("Success").Value.Should().BeTrue();
        result.Get<BooleanMetric>("Success").Reason.Should().Be("Succeeded by the scienceworld rule after 3 steps.");
        result.Get<NumericMetric>("Progress Rate").Value.Should().Be(1.0);
        result.Get<NumericMetric>("Progress Rate").Reason.Should().Be("Progress rate 1; it rose at steps 0, 2.");
        result.Get<NumericMetric>("Grounding Accuracy").Value.Should().Be(2.0 / 3);
        result.Get<NumericMetric>("Grounding Accuracy").Reason.Should().Be("2 of 3 steps were valid actions.");
        var context = (AgentBoardEpisodeContext)result.Get<NumericMetric>("Progress Rate").Context!["AgentBoard Episode"];
        context.Episode.Should().Be(SciWorld);
    }

    [Fact]
    public void The_context_holds_the_episodes_json_line()
    {
        var context = new AgentBoardEpisodeContext(SciWorld);

        context.Name.Should().Be("AgentBoard Episode");
        context.Contents.Should().ContainSingle().Which.Should().BeOfType<TextContent>().Which.Text.Should().Be(
            """{"run":"m","task":"scienceworld","id":1,"difficulty":"easy","goal":"boil water","subgoals":["a","b"],"steps":[{"action":"x","observation":"a","valid":true,"done":false},{"action":"y","observation":"nothing","valid":false,"done":false},{"action":"z","observation":"b","valid":true,"done":false}]}""");
        var create = () => new AgentBoardEpisodeContext(null!);
        create.Should().Throw<ArgumentNullException>().WithParameterName("episode");
    }

    [Fact]
    public async Task It_composes_with_another_evaluator()
    {
        var other = new RecordingEvaluator();
        var composite = new CompositeEvaluator(new AgentBoardEvaluator(), other);
        var extra = new RecordingContext();

        var result = await composite.EvaluateAsync(SciWorld, additionalContext: [extra]);

        composite.EvaluationMetricNames.Should().BeEquivalentTo(["Success", "Progress Rate", "Grounding Accuracy", "Assistant Messages"]);
        result.Metrics.Keys.Should().BeEquivalentTo(composite.EvaluationMetricNames);
        result.Get<BooleanMetric>("Success").Value.Should().BeTrue();
        result.Get<NumericMetric>("Progress Rate").Value.Should().Be(1.0);
        result.Get<NumericMetric>("Grounding Accuracy").Value.Should().Be(2.0 / 3);
        result.Get<NumericMetric>("Assistant Messages").Value.Should().Be(3);
        result.Get<NumericMetric>("Assistant Messages").Reason.Should().Be("3 assistant messages.");
        result.ContainsDiagnostics().Should().BeFalse();

        other.Messages!.Select(m => (m.Role, m.Text)).Should().Equal((ChatRole.User, "boil water"));
        other.Response!.Messages.Select(m => (m.Role, m.Text)).Should().Equal(
            (ChatRole.Assistant, "x"), (ChatRole.User, "a"), (ChatRole.Assistant, "y"), (ChatRole.User, "nothing"), (ChatRole.Assistant, "z"), (ChatRole.User, "b"));
        other.Contexts.Should().HaveCount(2);
        other.Contexts![0].Should().BeSameAs(extra);
        other.Contexts[1].Should().BeOfType<AgentBoardEpisodeContext>().Which.Episode.Should().Be(SciWorld);
    }

    [Fact]
    public async Task It_composes_through_the_interface_with_a_context()
    {
        var composite = new CompositeEvaluator([new AgentBoardEvaluator(), new RecordingEvaluator()]);
        ChatMessage[] messages = [new(ChatRole.User, "boil water")];
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, "x"));

        var result = await composite.EvaluateAsync(messages, response, additionalContext: [new AgentBoardEpisodeContext(SciWorld)]);

        result.Get<NumericMetric>("Progress Rate").Reason.Should().Be("Progress rate 1; it rose at steps 0, 2.");
        result.Get<NumericMetric>("Assistant Messages").Value.Should().Be(1);
    }

    [Fact]
    public async Task Without_the_context_the_metrics_have_no_values_and_an_error()
    {
        foreach (var contexts in new[] { null, Array.Empty<EvaluationContext>(), [new RecordingContext()] })
        {
            var result = await _evaluator.EvaluateAsync([], new ChatResponse(), additionalContext: contexts);
            ShouldBeFailed(result, NoContext, withContext: false);
        }
    }

    [Fact]
    public async Task Two_episode_contexts_are_an_error()
    {
        var result = await _evaluator.EvaluateAsync(SciWorld, additionalContext: [new AgentBoardEpisodeContext(SciWorld)]);
        ShouldBeFailed(result, "more than one AgentBoardEpisodeContext in the additional context (evaluate one episode at a time)", withContext: false);
    }

    private static readonly (string Message, Episode Episode)[] Malformed =
    [
        ("the episode has no task, subgoals or steps", new Episode("m", "alfworld", 1, null, "g", ["a"], null!)),
        ("the episode has no task, subgoals or steps", new Episode("m", "alfworld", 1, null, "g", null!, [])),
        ("the episode has no task, subgoals or steps", new Episode("m", null!, 1, null, "g", ["a"], [])),
        ("a step has no action or observation", new Episode("m", "alfworld", 1, null, "g", ["a"], [new EpisodeStep("x", null!, true, false)])),
        ("a step has no action or observation", new Episode("m", "alfworld", 1, null, "g", ["a"], [new EpisodeStep(null!, "y", true, false)])),
        ("a step has no action or observation", new Episode("m", "alfworld", 1, null, "g", ["a"], [null!])),
        ("a step's facts include a null", new Episode("m", "pddl", 1, null, "g", ["(on a b)"], [new EpisodeStep("x", "y", true, false, [null!])])),
        ("a subgoal is null", new Episode("m", "alfworld", 1, null, "g", [null!], [])),
        ("no scoring rule for task 'webarena' (known: alfworld, babyai, jericho, pddl, scienceworld); the episode is left out of every mean", new Episode("m", "webarena", 1, null, "g", [], [])),
    ];

    public static TheoryData<int> MalformedEpisodes => [.. Enumerable.Range(0, Malformed.Length)];

    [Theory]
    [MemberData(nameof(MalformedEpisodes))]
    public async Task A_malformed_episode_is_reported_never_thrown(int index)
    {
        var (message, episode) = Malformed[index];
        var result = await _evaluator.EvaluateAsync(episode);
        ShouldBeFailed(result, message, withContext: true);
    }

    [Fact]
    public async Task Scoring_problems_become_warnings()
    {
        var result = await _evaluator.EvaluateAsync(new Episode("m", "alfworld", 1, null, "g", ["(broken"], [new EpisodeStep("x", "y", true, false)]));

        var progress = result.Get<NumericMetric>("Progress Rate");
        progress.Value.Should().Be(0);
        progress.Diagnostics.Should().ContainSingle().Which.Severity.Should().Be(EvaluationDiagnosticSeverity.Warning);
        progress.Diagnostics![0].Message.Should().StartWith("subgoal pattern \"(broken\" does not compile: ");
        result.Get<BooleanMetric>("Success").Diagnostics.Should().ContainSingle().Which.Message.Should().Be(progress.Diagnostics[0].Message);
        result.Get<NumericMetric>("Grounding Accuracy").Diagnostics.Should().BeNull();
        result.ContainsDiagnostics(d => d.Severity == EvaluationDiagnosticSeverity.Error).Should().BeFalse();
    }

    [Fact]
    public async Task Cancellation_is_honoured()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var evaluate = async () => await _evaluator.EvaluateAsync(SciWorld, cancellationToken: cancelled.Token);

        await evaluate.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task A_null_episode_is_a_programming_error()
    {
        var evaluate = async () => await _evaluator.EvaluateAsync((Episode)null!);
        await evaluate.Should().ThrowAsync<ArgumentNullException>().WithParameterName("episode");
    }

    private static void ShouldBeFailed(EvaluationResult result, string message, bool withContext)
    {
        result.Metrics.Keys.Should().Equal(MetricNames);
        result.Get<BooleanMetric>("Success").Value.Should().BeNull();
        result.Get<NumericMetric>("Progress Rate").Value.Should().BeNull();
        result.Get<NumericMetric>("Grounding Accuracy").Value.Should().BeNull();
        foreach (var metric in result.Metrics.Values)
        {
            metric.Reason.Should().BeNull();
            metric.Interpretation.Should().BeNull();
            metric.Diagnostics.Should().ContainSingle();
            (metric.Diagnostics![0].Severity, metric.Diagnostics[0].Message).Should().Be((EvaluationDiagnosticSeverity.Error, message));
            if (withContext)
            {
                metric.Context.Should().ContainKey("AgentBoard Episode");
            }
            else
            {
                metric.Context.Should().BeNull();
            }
        }

        result.Metrics.Values.Select(m => m.Diagnostics![0]).Distinct().Should().HaveCount(3, "each metric has its own diagnostic");
    }

    private sealed class RecordingContext() : EvaluationContext("Other", "other context");
}
