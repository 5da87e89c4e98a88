using AgentRefine.Scoring;

namespace AgentRefine.Core.Tests.Scoring;

public sealed class AgentBoardLogReaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("agentrefine-agentboard-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // Concatenated pretty-printed objects, as AgentBoard writes them. Turn 0's observation is the one
    // after the first action (AgentBoard overwrites the initial observation).
    private const string Log = """
        {
            "id": 3,
            "task_name": "scienceworld",
            "goal": "boil water",
            "difficulty": "hard",
            "is_done": false,
            "progress_rate": 0.5,
            "grounding_acc": 0.6666666666666666,
            "score_change_record": [
                [1, 0.5]
            ],
            "trajectory": {
                "Interaction Turn 0": {"Goal": "boil water", "Observation": "You are in the kitchen.", "Action": "look around", "Progress Rate": 0.0},
                "Interaction Turn 1": {"Goal": "boil water", "Observation": "You pick up the pot.", "Action": "pick up pot", "Progress Rate": 0.5},
                "Interaction Turn 2": {"Goal": "boil water", "Observation": "No known action matches that input.", "Action": "boil", "Progress Rate": 0.5}
            }
        }
        {
            "id": 5,
            "task_name": "scienceworld",
            "goal": "melt ice",
            "difficulty": "easy",
            "is_done": true,
            "progress_rate": 1.0,
            "grounding_acc": 1.0,
            "score_change_record": [[0, 0.5], [1, 1.0]],
            "trajectory": {
                "Interaction Turn 0": {"Goal": "melt ice", "Observation": "The ice is on the stove.", "Action": "put ice on stove", "Progress Rate": 0.5},
                "Interaction Turn 1": {"Goal": "melt ice", "Observation": "The ice melts.", "Action": "activate stove", "Progress Rate": 1.0}
            }
        }
        """;

    private string WriteRun(string? data = null)
    {
        Directory.CreateDirectory(Path.Combine(_folder, "logs"));
        File.WriteAllText(Path.Combine(_folder, "logs", "scienceworld.jsonl"), Log);
        if (data is not null)
        {
            Directory.CreateDirectory(Path.Combine(_folder, "data", "scienceworld"));
            File.WriteAllText(Path.Combine(_folder, "data", "scienceworld", "test.jsonl"), data);
        }

        return _folder;
    }

    [Fact]
    public async Task Reads_concatenated_pretty_printed_objects_with_the_turn_zero_quirk()
    {
        var entries = await AgentBoardLogReader.ReadLogAsync(Path.Combine(WriteRun(), "logs", "scienceworld.jsonl"), "model-a");

        entries.Should().HaveCount(2);
        var first = entries[0];
        first.Id.Should().Be(3);
        first.Difficulty.Should().Be("hard");
        first.IsDone.Should().BeFalse();
        first.ProgressRate.Should().Be(0.5);
        first.ScoreChangeRecord.Should().Equal(new ProgressChange(1, 0.5));
        first.Turns.Should().Equal(("look around", "You are in the kitchen."), ("pick up pot", "You pick up the pot."), ("boil", "No known action matches that input."));
    }

    [Fact]
    public async Task A_run_is_scored_with_agentboards_own_numbers()
    {
        var report = AgentBoardScorer.Aggregate(await AgentBoardLogReader.ScoreRunAsync(WriteRun(), "model-a"));

        var task = report.Runs["model-a"].Tasks["scienceworld"];
        task.Episodes.Should().Be(2);
        task.Success.Should().Be(0.5);
        task.Progress.Should().Be(0.75);
        task.Grounding.Should().BeApproximately((2.0 / 3 + 1) / 2, 1e-12);
        task.SuccessHard.Should().Be(0);
        task.ProgressEasy.Should().Be(1);
        report.Runs["model-a"].LongRange.Take(3).Should().Equal(0.25, 0.75, 0.75);
    }

    [Fact]
    public async Task With_the_task_file_progress_is_recomputed_and_a_difference_reported()
    {
        // The task file's subgoals agree with episode 3 but not with episode 5's logged progress.
        var scores = await AgentBoardLogReader.ScoreRunAsync(WriteRun("""
            {"id": 3, "task": "scienceworld", "goal": "boil water", "subgoals": ["pick up the pot", "water boils"], "difficulty": "hard", "additional_info": {}}
            {"id": 5, "task": "scienceworld", "goal": "melt ice", "subgoals": ["on the stove", "ice melts", "puddle"], "difficulty": "easy", "additional_info": {}}
            """), "model-a");

        scores[0].Diagnostics.Should().BeEmpty();
        scores[1].Diagnostics.Should().Equal("AgentBoard logged progress 1, recomputed from the logged observations 0.6667");
        scores[1].Progress.Should().Be(1.0, "AgentBoard's own number is kept");
    }

    [Fact]
    public async Task Broken_logs_and_results_name_the_file_and_object()
    {
        var path = Path.Combine(_folder, "bad.jsonl");
        await File.WriteAllTextAsync(path, "{\"id\": 1, \"task_name\": \"x\", \"progress_rate\": 0, \"grounding_acc\": 0}\n{ \"id\": ");
        var act = () => AgentBoardLogReader.ReadLogAsync(path, "m");
        await act.Should().ThrowAsync<InvalidDataException>().WithMessage("bad.jsonl: object 2: invalid JSON (*");

        var missing = Path.Combine(_folder, "missing.jsonl");
        await File.WriteAllTextAsync(missing, "{\"id\": 1, \"task_name\": \"x\", \"grounding_acc\": 0}");
        var noProgress = () => AgentBoardLogReader.ReadLogAsync(missing, "m");
        await noProgress.Should().ThrowAsync<InvalidDataException>().WithMessage("missing.jsonl: object 1: 'progress_rate' is missing or not a number.");
    }

    [Fact]
    public async Task All_results_are_read_per_task()
    {
        var path = Path.Combine(_folder, "all_results.txt");
        await File.WriteAllTextAsync(path, "{\"task_name\": \"alfworld\", \"success_rate\": 0.448, \"progress_rate\": 0.638, \"grounding_acc\": 0.9}\n\n{\"task_name\": \"babyai\", \"success_rate\": 0.375, \"progress_rate\": 0.504}\n");
        var results = await AgentBoardLogReader.ReadAllResultsAsync(path);
        results.Keys.Should().Equal("alfworld", "babyai");
        results["alfworld"]["progress_rate"].Should().Be(0.638);
    }

    [Fact]
    public async Task Byte_order_marks_are_accepted_in_logs_task_files_and_results()
    {
        static byte[] WithBom(string text) => [0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes(text)];
        WriteRun("""{"id": 3, "subgoals": ["pick up the pot", "water boils"]}""");
        await File.WriteAllBytesAsync(Path.Combine(_folder, "logs", "scienceworld.jsonl"), WithBom(Log));
        await File.WriteAllBytesAsync(Path.Combine(_folder, "data", "scienceworld", "test.jsonl"), WithBom("""{"id": 3, "subgoals": ["pick up the pot", "water boils"]}"""));
        var results = Path.Combine(_folder, "all_results.txt");
        await File.WriteAllBytesAsync(results, WithBom("{\"task_name\": \"alfworld\", \"success_rate\": 0.5}\n"));

        (await AgentBoardLogReader.ReadLogAsync(Path.Combine(_folder, "logs", "scienceworld.jsonl"), "m")).Should().HaveCount(2);
        (await AgentBoardLogReader.ReadSubgoalsAsync(Path.Combine(_folder, "data", "scienceworld", "test.jsonl")))[3].Should().Equal("pick up the pot", "water boils");
        (await AgentBoardLogReader.ReadAllResultsAsync(results))["alfworld"]["success_rate"].Should().Be(0.5);
        (await AgentBoardLogReader.ScoreRunAsync(_folder, "m")).Should().HaveCount(2);
    }

    [Fact]
    public void The_files_of_a_run_are_listed_in_reading_order()
    {
        WriteRun("""{"id": 3, "subgoals": []}""");
        File.WriteAllText(Path.Combine(_folder, "logs", "alfworld.jsonl"), string.Empty);

        AgentBoardLogReader.RunFiles(_folder).Should().Equal(
            Path.Combine(_folder, "logs", "alfworld.jsonl"),
            Path.Combine(_folder, "logs", "scienceworld.jsonl"),
            Path.Combine(_folder, "data", "scienceworld", "test.jsonl"));
        var missing = () => AgentBoardLogReader.RunFiles(Path.Combine(_folder, "nope"));
        missing.Should().Throw<InvalidDataException>();
    }
}
