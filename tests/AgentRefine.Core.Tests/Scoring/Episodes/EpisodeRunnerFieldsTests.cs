using System.Text;
using AgentRefine.Scoring;

namespace AgentRefine.Core.Tests.Scoring.Episodes;

public sealed class EpisodeRunnerFieldsTests
{
    [Fact]
    public void The_runner_fields_are_written_only_when_set_and_read_back()
    {
        var episode = new Episode("m", "agentgym/babyai", 3, null, "go", [],
        [
            new EpisodeStep("look", "a room", true, false) { Progress = 0.25, Reply = "Action: look" },
            new EpisodeStep(string.Empty, string.Empty, false, false),
        ])
        {
            Success = false,
            EndReason = EpisodeEndReasons.ModelFailed,
            Error = "step 1: the model call failed: timeout: slow",
        };

        var json = episode.ToJson();

        json.Should().Be("{\"run\":\"m\",\"task\":\"agentgym/babyai\",\"id\":3,\"difficulty\":null,\"goal\":\"go\",\"subgoals\":[],\"steps\":["
            + "{\"action\":\"look\",\"observation\":\"a room\",\"valid\":true,\"done\":false,\"progress\":0.25,\"reply\":\"Action: look\"},"
            + "{\"action\":\"\",\"observation\":\"\",\"valid\":false,\"done\":false}],"
            + "\"success\":false,\"end\":\"model-failed\",\"error\":\"step 1: the model call failed: timeout: slow\"}");
        EpisodeReader.Parse(Encoding.UTF8.GetBytes(json), "e.jsonl:1").Should().BeEquivalentTo(episode);
    }

    [Fact]
    public void An_episode_without_runner_fields_is_written_as_before()
    {
        new Episode("r", "alfworld", 1, "easy", "g", ["x"], [new EpisodeStep("a", "o", true, true)]).ToJson()
            .Should().Be("{\"run\":\"r\",\"task\":\"alfworld\",\"id\":1,\"difficulty\":\"easy\",\"goal\":\"g\",\"subgoals\":[\"x\"],\"steps\":[{\"action\":\"a\",\"observation\":\"o\",\"valid\":true,\"done\":true}]}");
    }

    [Theory]
    [InlineData("{\"task\":\"t\",\"id\":1,\"subgoals\":[],\"steps\":[{\"action\":\"a\",\"observation\":\"o\",\"progress\":\"high\"}]}", "e.jsonl:1: steps[0]: 'progress' is not a number.")]
    [InlineData("{\"task\":\"t\",\"id\":1,\"subgoals\":[],\"steps\":[],\"success\":1}", "e.jsonl:1: 'success' is not a boolean.")]
    [InlineData("{\"task\":\"t\",\"id\":1,\"subgoals\":[],\"steps\":[],\"end\":3}", "e.jsonl:1: 'end' is not a string.")]
    public void Malformed_runner_fields_are_named(string line, string message)
    {
        var parse = () => EpisodeReader.Parse(Encoding.UTF8.GetBytes(line), "e.jsonl:1");

        parse.Should().Throw<InvalidDataException>().WithMessage(message);
    }

    [Fact]
    public void A_task_with_an_AgentBoard_rule_ignores_reported_progress()
    {
        var episode = new Episode("r", "babyai", 1, null, "g", ["nothing matches"], [new EpisodeStep("a", "o", true, false) { Progress = 0.9 }]) { Success = true };

        var score = new AgentBoardScorer().Score(episode);

        score.Should().BeEquivalentTo(new { Progress = 0.0, Success = false, IsEnvironmentProgress = false });
    }

    [Fact]
    public void A_task_without_a_rule_is_scored_from_the_running_maximum_of_reported_progress()
    {
        var episode = new Episode("r", "agentgym/textcraft", 1, null, "g", [],
        [
            new EpisodeStep("a", "o", true, false) { Progress = 0.5 },
            new EpisodeStep("b", "o", false, false) { Progress = 0.25 },
            new EpisodeStep("c", "o", true, true) { Progress = 1.5 },
            new EpisodeStep("ignored after done", "o", false, false) { Progress = 0 },
        ]) { Success = true };

        var score = new AgentBoardScorer().Score(episode);

        score.Should().BeEquivalentTo(new
        {
            IsScored = true,
            IsEnvironmentProgress = true,
            Success = true,
            Progress = 1.0,
            Grounding = 2.0 / 3,
            StepsTaken = 3,
            ScoreChangeRecord = new[] { new ProgressChange(0, 0.5), new ProgressChange(2, 1.0) },
        });
    }

    [Fact]
    public void A_task_without_a_rule_or_reported_values_stays_unscored() =>
        new AgentBoardScorer().Score(new Episode("r", "other", 1, null, "g", [], [new EpisodeStep("a", "o", true, true)])).IsScored.Should().BeFalse();
}
