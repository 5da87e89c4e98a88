using AgentRefine.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentRefine.Scripts;

namespace AgentRefine.Core.Tests.Scripts;

public class ScriptReaderTests
{
    [Fact]
    public void Reads_the_sample_with_every_key_and_keeps_action_order()
    {
        var result = ScriptReader.Read(SampleFiles.Script);

        result.Error.Should().BeNull();
        var script = result.Script!;
        script.Goal.Should().Be("Scan the 1923 harbor photograph and save it to the archive drive as harbor_1923.tif.");
        script.CompletionConditions.Should().HaveCount(2);
        script.AvailableActions.Select(a => a.Template).Should().Equal("go to {place}", "take {item} from {place}", "put on {item}", "scan {item} as {filename}", "look");
        var take = script.AvailableActions[1];
        take.VerificationCode.Should().Be(@"^\s*take\s+(.+?)\s+from\s+(.+?)\s*$");
        take.Parameters.Select(p => p.Name).Should().Equal("item", "place");
        take.FindParameter("place")!.Values.Should().Equal("front desk", "archive room", "scanning room");
        take.Description.Should().Be("Pick up an item that is in the given room.");
        script.AvailableActions[4].Parameters.Should().BeEmpty();
    }

    [Fact]
    public void Environment_is_preserved_exactly()
    {
        const string text = """{"Environment": {"z": 1.50, "a": [true, null, {"deep": "é\u0001"}], "n": 1e3}, "Goal": "g", "Completion Conditions": ["c"], "Available Actions": {}}""";
        var script = ScriptReader.Read(text).Script!;

        script.Environment!.Value.GetRawText().Should().Be("""{"z": 1.50, "a": [true, null, {"deep": "é\u0001"}], "n": 1e3}""");
        script.ToJson().Should().StartWith("""{"Environment":{"z":1.50,"a":[true,null,{"deep":"é\u0001"}],"n":1e3},""");
    }

    [Fact]
    public void Canonical_writing_round_trips()
    {
        var script = ScriptReader.Read(SampleFiles.Script).Script!;
        var again = ScriptReader.Read(script.ToJson(indented: true)).Script!;

        again.ToJson().Should().Be(script.ToJson());
        script.ToJson().Should().Contain("\"Completion Conditions\":[").And.Contain("\"verification code\":");
    }

    [Fact]
    public void Key_variants_are_normalized()
    {
        const string text = """
            {"goal": "g", "completion_conditions": "only one", "AVAILABLE-ACTIONS": {
              "go {dir}": {"Verification Code": "^go (\\w+)$", "Parameters": {"dir": ["north", 3, true, null, ["x"]]}, "Description": "d"},
              "look": {"verification_code": "^look$"}
            }}
            """;
        var script = ScriptReader.Read(text).Script!;

        script.Goal.Should().Be("g");
        script.CompletionConditions.Should().Equal("only one");
        script.AvailableActions[0].VerificationCode.Should().Be(@"^go (\w+)$");
        script.AvailableActions[0].FindParameter("dir")!.Values.Should().Equal("north", "3", "true");
        script.AvailableActions[0].Description.Should().Be("d");
        script.AvailableActions[1].VerificationCode.Should().Be("^look$");
    }

    [Fact]
    public void Prose_and_fence_around_the_object_are_skipped()
    {
        var text = "Here is the {script} you asked for:\n```json\n" + SampleFiles.Script + "```\nHope it helps {really}.";
        var result = ScriptReader.Read(text);

        result.Error.Should().BeNull();
        result.Script!.AvailableActions.Should().HaveCount(5);
    }

    [Fact]
    public void Comments_and_trailing_commas_are_tolerated()
    {
        const string text = """
            {"Goal": "g", // the goal
            "Completion Conditions": ["c",], "Available Actions": {"look": {"verification code": "^look$", "parameters": {},},},}
            """;
        ScriptReader.Read(text).Script!.AvailableActions.Should().ContainSingle();
    }

    [Fact]
    public void A_comment_right_after_the_opening_brace_is_tolerated()
    {
        var text = "```json\n{ // generated for the librarian persona\n" + SampleFiles.Script.TrimStart().TrimStart('{');
        var result = ScriptReader.Read(text);
        result.Error.Should().BeNull();
        result.Script!.Goal.Should().StartWith("Scan the 1923 harbor photograph");
    }

    [Fact]
    public void Array_form_of_actions_is_tolerated()
    {
        const string text = """{"Goal": "g", "Completion Conditions": ["c"], "Available Actions": [{"action": "look", "verification code": "^look$"}, {"no": "template"}]}""";
        ScriptReader.Read(text).Script!.AvailableActions.Select(a => a.Template).Should().Equal("look");
    }

    [Fact]
    public void Ill_typed_values_are_read_as_absent()
    {
        const string text = """{"Goal": 5, "Completion Conditions": {"a": 1}, "Available Actions": {"look": "^look$", "go {d}": {"verification code": 7, "parameters": ["d"]}}}""";
        var script = ScriptReader.Read(text).Script!;

        script.Goal.Should().BeNull();
        script.CompletionConditions.Should().BeEmpty();
        script.AvailableActions[0].VerificationCode.Should().BeNull();
        script.AvailableActions[1].VerificationCode.Should().BeNull();
        script.AvailableActions[1].Parameters.Should().BeEmpty();
    }

    [Theory]
    [InlineData("I cannot help with that.", "the text holds no JSON object")]
    [InlineData("[1, 2]", "the text holds no JSON object")]
    [InlineData("Here:\n[{\"Goal\": \"g\"}]", "the JSON at line 2 is an array, not an object")]
    public void Text_without_an_object_is_an_error(string text, string expected)
    {
        var result = ScriptReader.Read(text);
        result.Script.Should().BeNull();
        result.Error.Should().Be(expected);
    }

    [Fact]
    public void Malformed_json_error_names_the_line_and_never_falls_back_to_an_inner_object()
    {
        var result = ScriptReader.Read("prose line\n{\n  \"Goal\": \"g\",\n  \"Environment\": {\"a\": 1},\n  \"Completion Conditions\": [\"c\"\n}");
        result.Script.Should().BeNull();
        result.Error.Should().StartWith("invalid JSON at line 6");
    }

    [Fact]
    public void Size_limits_are_enforced_with_the_limit_named()
    {
        var limits = new JsonReadLimits { MaxInputChars = 10 };
        ScriptReader.Read(SampleFiles.Script, limits).Error.Should().Contain("over the limit of 10 (JsonReadLimits.MaxInputChars)");

        var actions = new JsonReadLimits { MaxActions = 2 };
        ScriptReader.Read(SampleFiles.Script, actions).Error.Should().Be("'Available Actions' has more than 2 actions (JsonReadLimits.MaxActions)");

        var values = new JsonReadLimits { MaxValuesPerParameter = 3 };
        ScriptReader.Read(SampleFiles.Script, values).Error.Should().Be("parameter 'item' of action 'take {item} from {place}' has more than 3 values (JsonReadLimits.MaxValuesPerParameter)");

        // The outer object is too deep: the reader must not fall back to an inner object that fits.
        var depth = new JsonReadLimits { MaxDepth = 3 };
        var deep = ScriptReader.Read(SampleFiles.Script, depth);
        deep.Script.Should().BeNull();
        deep.Error.Should().StartWith("invalid JSON at line 5").And.Contain("depth");
    }

    [Fact]
    public void JsonSerializer_uses_the_canonical_converter()
    {
        var script = Script.Parse(SampleFiles.Script);
        var json = JsonSerializer.Serialize(script);
        JsonNode.DeepEquals(JsonNode.Parse(json), JsonNode.Parse(script.ToJson())).Should().BeTrue();
        JsonSerializer.Deserialize<Script>(json)!.ToJson().Should().Be(script.ToJson());
    }

    [Fact]
    public void Parse_throws_a_format_exception_with_the_reason()
    {
        var act = () => Script.Parse("nothing");
        act.Should().Throw<FormatException>().WithMessage("Not an AgentRefine script: the text holds no JSON object");
    }
}
