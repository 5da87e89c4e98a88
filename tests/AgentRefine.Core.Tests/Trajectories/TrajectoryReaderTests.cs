using AgentRefine.Json;
using AgentRefine.Trajectories;

namespace AgentRefine.Core.Tests.Trajectories;

public class TrajectoryReaderTests
{
    [Fact]
    public void Reads_a_whole_array()
    {
        var result = TrajectoryReader.Read(SampleFiles.Trajectory);
        result.IsComplete.Should().BeTrue();
        result.BreakIndex.Should().BeNull();
        result.Turns.Should().HaveCount(23);
    }

    [Theory]
    [InlineData("trajectory-fenced.md")]
    [InlineData("trajectory-turns-object.json")]
    public void Reads_fenced_and_wrapped_shapes(string variant)
    {
        var result = TrajectoryReader.Read(SampleFiles.Variant(variant));
        result.IsComplete.Should().BeTrue();
        result.Turns.Should().HaveCount(23);
    }

    [Fact]
    public void Reads_turn_objects_one_per_line_with_trailing_prose()
    {
        var text = """
            {"turn": 0, "role": "DM", "Thought": "t", "Observation": "o", "parameter_error": false, "place_error": false, "logic_error": false, "task_completed": false}
            {"turn": 1, "role": "Player", "Thought": "t", "Action": "look"},
            {"turn": 2, "role": "DM", "Thought": "t", "Observation": "o", "parameter_error": false, "place_error": false, "logic_error": false, "task_completed": true}
            That is the whole game.
            """;
        var result = TrajectoryReader.Read(text);
        result.IsComplete.Should().BeTrue();
        result.Turns.Select(t => t.GetProperty("turn").GetInt32()).Should().Equal(0, 1, 2);
    }

    [Fact]
    public void A_truncated_array_is_salvaged_up_to_the_break()
    {
        var result = TrajectoryReader.Read(SampleFiles.Variant("trajectory-truncated.json"));

        result.IsComplete.Should().BeFalse();
        result.BreakIndex.Should().Be(9);
        result.Turns.Should().HaveCount(9);
        result.Turns[8].GetProperty("turn").GetInt32().Should().Be(8);
        result.Error.Should().StartWith("invalid JSON at line 11");
    }

    [Fact]
    public void A_truncated_wrapped_array_is_salvaged()
    {
        var result = TrajectoryReader.Read("{\"turns\": [{\"turn\": 0}, {\"turn\": 1}, {\"tu");
        result.BreakIndex.Should().Be(2);
    }

    [Fact]
    public void Garbage_inside_the_array_breaks_there()
    {
        var result = TrajectoryReader.Read("[{\"turn\": 0}, {\"turn\": 1}, oops, {\"turn\": 3}]");
        result.BreakIndex.Should().Be(2);
        result.Turns.Should().HaveCount(2);
    }

    [Fact]
    public void An_unclosed_array_breaks_after_the_last_whole_turn()
    {
        var result = TrajectoryReader.Read("[{\"turn\": 0}, {\"turn\": 1}");
        result.BreakIndex.Should().Be(2);
    }

    [Fact]
    public void A_broken_jsonl_line_breaks_there_and_names_its_line()
    {
        var result = TrajectoryReader.Read("{\"turn\": 0}\n{\"turn\": 1}\n{\"turn\": 2, \"role\": \"Pla");
        result.BreakIndex.Should().Be(2);
        result.Error.Should().StartWith("invalid JSON at line 3");
    }

    [Fact]
    public void Prose_brackets_are_skipped_but_a_broken_array_is_never_resumed_mid_way()
    {
        TrajectoryReader.Read("I will play [both roles]:\n[{\"turn\": 0}]").Turns.Should().ContainSingle();

        // The array breaks at its first turn; the later whole turn object must not be salvaged on its own.
        var broken = TrajectoryReader.Read("[{\"turn\": 0, oops}, {\"turn\": 1}]");
        broken.BreakIndex.Should().Be(0);
        broken.Turns.Should().BeEmpty();
    }

    [Theory]
    [InlineData("", "the text holds no JSON array of turns")]
    [InlineData("no json", "the text holds no JSON array of turns")]
    public void Text_without_turns_breaks_at_zero(string text, string error)
    {
        var result = TrajectoryReader.Read(text);
        result.BreakIndex.Should().Be(0);
        result.Error.Should().Be(error);
    }

    [Fact]
    public void An_empty_array_is_complete_and_empty()
    {
        var result = TrajectoryReader.Read("[]");
        result.IsComplete.Should().BeTrue();
        result.Turns.Should().BeEmpty();
    }

    [Fact]
    public void Limits_cut_the_trajectory_with_the_limit_named()
    {
        var result = TrajectoryReader.Read(SampleFiles.Trajectory, new JsonReadLimits { MaxTurns = 5 });
        result.BreakIndex.Should().Be(5);
        result.Error.Should().Be("the trajectory has more than 5 turns (JsonReadLimits.MaxTurns)");

        var big = TrajectoryReader.Read(SampleFiles.Trajectory, new JsonReadLimits { MaxInputChars = 100 });
        big.BreakIndex.Should().Be(0);
        big.Error.Should().Contain("over the limit of 100 (JsonReadLimits.MaxInputChars)");

        var deep = TrajectoryReader.Read("[" + string.Concat(Enumerable.Repeat("{\"a\": ", 100)) + "1" + new string('}', 100) + "]");
        deep.BreakIndex.Should().Be(0);
        deep.Error.Should().Contain("depth");
    }

    [Fact]
    public void Default_limits_cannot_be_changed_globally()
    {
        JsonReadLimits.Default.MaxTurns = 1;
        JsonReadLimits.Default.MaxTurns.Should().Be(512);
        TrajectoryReader.Read(SampleFiles.Trajectory).IsComplete.Should().BeTrue();
    }

    [Fact]
    public void After_prepends_a_verified_prefix_and_shifts_the_break()
    {
        var prefix = Trajectory.Parse(SampleFiles.Trajectory).Take(9);
        var continuation = TrajectoryReader.Read("[{\"turn\": 9, \"role\": \"Player\", \"Thought\": \"t\", \"Action\": \"look\"}, {\"tur");
        var combined = continuation.After(prefix);

        combined.Turns.Should().HaveCount(10);
        combined.BreakIndex.Should().Be(10);
        combined.Turns[8].GetProperty("Observation").GetString().Should().Be("You are at the front desk. The cotton gloves lie on the counter.");
    }
}
