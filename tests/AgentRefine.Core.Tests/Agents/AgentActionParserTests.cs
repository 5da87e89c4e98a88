using AgentRefine.Agents;

namespace AgentRefine.Core.Tests.Agents;

public sealed class AgentActionParserTests
{
    [Theory]
    [InlineData("Thought: go.\nAction: move forward", "move forward")]
    [InlineData("Action: look\nThought: no, better:\nAction: move forward", "move forward")]
    [InlineData("Thought:\nI go.\n\nAction:\ngo to red ball 1\n", "go to red ball 1")]
    [InlineData("**Action:** take key", "take key")]
    [InlineData("  action : `open door`  ", "open door")]
    [InlineData("Thought: the next action: wait\nAction: wait", "wait")]
    [InlineData("Thought: I will take the action: go north", null)]
    [InlineData("Action:", null)]
    [InlineData("no action here", null)]
    [InlineData("", null)]
    public void React_takes_the_last_action_line(string reply, string? expected) =>
        AgentActionParser.ParseReAct(reply).Should().Be(expected);

    [Fact]
    public void React_bounds_the_action() =>
        AgentActionParser.ParseReAct("Action: " + new string('a', 5_000)).Should().HaveLength(AgentActionParser.MaxActionLength);

    [Theory]
    [InlineData("go to kitchen", "go to kitchen")]
    [InlineData(" 'look'/ ", "look")]
    [InlineData("Thought: hm\nAction: open fridge", "open fridge")]
    [InlineData("My next action is to open the drawer", " open the drawer")]
    [InlineData("The next action:\n\ninventory", "inventory")]
    [InlineData("Action:\nfirst line", "Action:")]
    [InlineData("", null)]
    [InlineData("   ", null)]
    public void AgentBoard_parses_the_way_vanilla_agent_does(string reply, string? expected) =>
        AgentActionParser.ParseAgentBoard(reply).Should().Be(expected?.Trim());
}
