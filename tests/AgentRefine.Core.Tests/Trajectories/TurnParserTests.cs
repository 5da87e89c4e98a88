using System.Text.Json;
using AgentRefine.Trajectories;

namespace AgentRefine.Core.Tests.Trajectories;

public class TurnParserTests
{
    private static (Turn? Turn, string? Problem) Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        _ = TurnParser.TryParse(document.RootElement, out var turn, out var problem);
        return (turn, problem);
    }

    [Fact]
    public void A_well_formed_dm_turn_is_typed()
    {
        var (turn, problem) = Parse("""{"turn": 4, "role": "DM", "Thought": "t", "Observation": "o", "parameter_error": false, "place_error": true, "logic_error": false, "task_completed": false}""");
        problem.Should().BeNull();
        turn.Should().Be(new DmTurn(4, "t", "o", PlaceError: true));
        ((DmTurn)turn!).HasError.Should().BeTrue();
    }

    [Fact]
    public void A_well_formed_player_turn_is_typed()
    {
        var (turn, _) = Parse("""{"turn": 1, "role": "Player", "Thought": "t", "Action": "look"}""");
        turn.Should().Be(new PlayerTurn(1, "t", "look"));
    }

    [Theory]
    [InlineData("""[1]""", "the turn is an array, not an object")]
    [InlineData("""{"turn": 1, "Thought": "t", "Action": "a"}""", "missing key 'role'")]
    [InlineData("""{"turn": 1, "role": "player", "Thought": "t", "Action": "a"}""", "'role' must be \"DM\" or \"Player\", found \"player\"")]
    [InlineData("""{"turn": 1, "role": "Player", "Thought": "t", "action": "a"}""", "unexpected key 'action' (keys are case-sensitive: 'Action'); missing key 'Action'")]
    [InlineData("""{"turn": 1, "role": "Player", "Thought": "t", "Action": "a", "Observation": "o"}""", "unexpected key 'Observation' for a Player turn")]
    [InlineData("""{"turn": "1", "role": "Player", "Thought": "t", "Action": "a"}""", "'turn' must be an integer, found \"1\"")]
    [InlineData("""{"turn": 1.5, "role": "Player", "Thought": "t", "Action": "a"}""", "'turn' must be an integer, found 1.5")]
    [InlineData("""{"turn": 1, "role": "Player", "Thought": "t", "Action": null}""", "'Action' must be a string, found null")]
    [InlineData("""{"turn": 0, "role": "DM", "Thought": "t", "Observation": "o", "parameter_error": "no", "place_error": false, "logic_error": false}""", "'parameter_error' must be a boolean, found \"no\"; missing key 'task_completed'")]
    [InlineData("""{"turn": 1, "turn": 1, "role": "Player", "Thought": "t", "Action": "a"}""", "duplicate key 'turn'")]
    public void Malformed_turns_are_reported_not_thrown(string json, string expected)
    {
        var (turn, problem) = Parse(json);
        turn.Should().BeNull();
        problem.Should().Be(expected);
    }

    [Theory]
    [InlineData("{\"turn\": 1, \"role\": \"Player\", \"Thought\": \"t\xD7\", \"Action\": \"a\"}", "a text value is not valid UTF-8")]
    [InlineData("{\"turn\": 1, \"role\": \"Pl\xD7\", \"Thought\": \"t\", \"Action\": \"a\"}", "'role' must be \"DM\" or \"Player\", found text that is not valid UTF-8")]
    public void Invalid_utf8_in_raw_bytes_is_a_problem_not_an_exception(string latin1, string expected)
    {
        // Each char below 256 becomes one byte, so \xD7 is a lone byte that is not valid UTF-8.
        using var document = JsonDocument.Parse(latin1.Select(c => (byte)c).ToArray());
        TurnParser.TryParse(document.RootElement, out var turn, out var problem).Should().BeFalse();
        turn.Should().BeNull();
        problem.Should().Be(expected);
    }

    [Fact]
    public void Canonical_writing_uses_the_paper_keys_in_order()
    {
        new DmTurn(0, "t", "o", TaskCompleted: true).ToJson().Should().Be(
            """{"turn":0,"role":"DM","Thought":"t","Observation":"o","parameter_error":false,"place_error":false,"logic_error":false,"task_completed":true}""");
        new PlayerTurn(1, "t \"q\"", "go to é").ToJson().Should().Be("""{"turn":1,"role":"Player","Thought":"t \"q\"","Action":"go to é"}""");
    }

    [Fact]
    public void Trajectory_round_trips_through_json_and_the_serializer()
    {
        var trajectory = Trajectory.Parse(SampleFiles.Trajectory);
        trajectory.Should().HaveCount(23);
        Trajectory.Parse(trajectory.ToJson(indented: true)).Should().Equal(trajectory);
        JsonSerializer.Deserialize<Turn[]>(trajectory.ToJson()).Should().Equal(trajectory);
        JsonSerializer.Serialize<Turn>(trajectory[1]).Should().Be(trajectory[1].ToJson());
        JsonSerializer.Serialize((DmTurn)trajectory[2]).Should().Be(trajectory[2].ToJson());
        JsonSerializer.Deserialize<PlayerTurn>(trajectory[1].ToJson()).Should().Be(trajectory[1]);
        var wrongRole = () => JsonSerializer.Deserialize<PlayerTurn>(trajectory[0].ToJson());
        wrongRole.Should().Throw<JsonException>().WithMessage("Expected a PlayerTurn, found a DM turn.");
    }

    [Fact]
    public void Trajectory_parse_names_the_bad_turn()
    {
        var act = () => Trajectory.Parse(SampleFiles.Variant("trajectory-turn-keys.json"));
        act.Should().Throw<FormatException>().WithMessage("Turn 5 is malformed: unexpected key 'action' (keys are case-sensitive: 'Action'); missing key 'Action'");

        var truncated = () => Trajectory.Parse(SampleFiles.Variant("trajectory-truncated.json"));
        truncated.Should().Throw<FormatException>().WithMessage("The trajectory breaks at turn 9: *");
    }
}
