using AgentRefine.Scripts;
using AgentRefine.Verification;

namespace AgentRefine.Core.Tests.Verification;

public class ActionMatchTests
{
    private static CompiledScript Compile(string template, string code, params string[] values) =>
        new RuleBasedVerifier().Compile(new Script("g", ["c"], [new ScriptAction(template, code, values.Length == 0 ? [] : [new ScriptParameter("v", values)])]))
        ?? throw new InvalidOperationException("the script should verify");

    [Fact]
    public void The_issue_example_of_catastrophic_backtracking_is_answered_within_the_timeout()
    {
        // .NET's optimizer rewrites (?:a+)+ into a+, so this answers "no match" at once.
        var compiled = Compile("x{v}", "^x((?:a+)+)$", "aaa");
        var match = compiled.Match("x" + new string('a', 5000) + "!");
        match.Status.Should().Be(ActionMatchStatus.NoMatch);
    }

    [Fact]
    public void A_truly_catastrophic_code_is_stopped_by_the_timeout()
    {
        var compiled = Compile("x{v}", "^x((?:a|aa)+)$", "aaa");
        var match = compiled.Match("x" + new string('a', 60) + "!");
        match.Status.Should().Be(ActionMatchStatus.TimedOut);
        match.Message.Should().Be("matching \"x{v}\" timed out after 100 ms");
        match.IsMatch.Should().BeFalse();
    }

    [Fact]
    public void Values_are_compared_ordinally_after_trimming()
    {
        var compiled = Compile("go {v}", @"^go(.*)$", "North", " south ");
        compiled.Match("go North").IsMatch.Should().BeTrue();
        compiled.Match("go   south").IsMatch.Should().BeTrue();
        var wrongCase = compiled.Match("go north");
        wrongCase.Status.Should().Be(ActionMatchStatus.InvalidValue);
        wrongCase.Message.Should().Be("\"north\" is not a valid value of {v} in \"go {v}\"");
        wrongCase.Values.Should().Equal(new[] { new KeyValuePair<string, string>("v", "north") });
    }

    [Fact]
    public void Long_model_values_are_cut_in_messages()
    {
        var compiled = Compile("go {v}", @"^go (.*)$", "north");
        var match = compiled.Match("go " + new string('x', 5000));
        match.Message.Should().Be("\"" + new string('x', 120) + "…\" (5,000 characters) is not a valid value of {v} in \"go {v}\"");
    }

    [Fact]
    public void A_wrong_value_is_reported_before_no_match()
    {
        var verifier = new RuleBasedVerifier();
        var script = new Script("g", ["c"],
        [
            new ScriptAction("look", "^look$"),
            new ScriptAction("go {v}", @"^go (\w+)$", [new ScriptParameter("v", ["north"])]),
        ]);
        verifier.Compile(script)!.Match("go west").Status.Should().Be(ActionMatchStatus.InvalidValue);
        verifier.Compile(script)!.Match("fly").Message.Should().Be("it fully matches none of the 2 actions' verification codes");
    }
}
