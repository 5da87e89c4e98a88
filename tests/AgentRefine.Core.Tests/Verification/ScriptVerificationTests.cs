using AgentRefine.Scripts;
using AgentRefine.Verification;

namespace AgentRefine.Core.Tests.Verification;

public class ScriptVerificationTests
{
    private readonly RuleBasedVerifier _verifier = new();

    private static Script OneAction(string template, string code, params (string Name, string[] Values)[] parameters) =>
        new("g", ["c"], [new ScriptAction(template, code, parameters.Select(p => new ScriptParameter(p.Name, p.Values)).ToArray())]);

    private VerificationIssue SingleIssue(Script script)
    {
        var result = _verifier.VerifyScript(script);
        result.Outcome.Should().Be(VerificationOutcome.RegenerateScript);
        return result.Issues.Should().ContainSingle().Subject;
    }

    [Fact]
    public void The_sample_script_is_accepted()
    {
        var result = _verifier.Verify(SampleFiles.Script);
        result.Outcome.Should().Be(VerificationOutcome.Accepted);
        result.Issues.Should().BeEmpty();
        result.KeptTurns.Should().Be(0);
        result.Feedback.Should().Be("Verification passed.");
    }

    [Fact]
    public void Script_json()
    {
        var result = _verifier.Verify(SampleFiles.Variant("script-not-json.txt"), SampleFiles.Trajectory);
        result.Outcome.Should().Be(VerificationOutcome.RegenerateScript);
        result.Issues.Should().Equal(new VerificationIssue("script-json", null, "The script is not a JSON object: the text holds no JSON object."));
    }

    [Fact]
    public void Script_missing_key_reports_each_missing_key()
    {
        var result = _verifier.Verify(SampleFiles.Variant("script-missing-keys.json"));
        result.Issues.Should().Equal(
            new VerificationIssue("script-missing-key", null, "'Goal' is missing, empty or not a string."),
            new VerificationIssue("script-missing-key", null, "'Completion Conditions' is missing or empty; it must be a non-empty list of strings."));

        SingleIssue(new Script("g", ["c"], [])).Message.Should().StartWith("'Available Actions' is missing or empty");
    }

    [Fact]
    public void Regex_invalid()
    {
        var result = _verifier.Verify(SampleFiles.Variant("script-regex-invalid.json"));
        var issue = result.Issues.Should().ContainSingle().Subject;
        issue.Code.Should().Be("regex-invalid");
        issue.Message.Should().StartWith("The verification code of action \"go to {place}\" does not compile: ");

        SingleIssue(OneAction("look", "  ")).Message.Should().Be("Action \"look\" has no 'verification code' (a regular expression string).");
        var tooLong = new RuleBasedVerifier(new VerifierOptions { MaxVerificationCodeLength = 5 });
        tooLong.VerifyScript(OneAction("look", "^look$")).Issues.Single().Message.Should().Be("The verification code of action \"look\" is 6 characters long, over the limit of 5.");
    }

    [Fact]
    public void Placeholder_mismatch_on_group_count()
    {
        var result = _verifier.Verify(SampleFiles.Variant("script-placeholder-mismatch.json"));
        result.Issues.Should().Equal(new VerificationIssue("placeholder-mismatch", null,
            "Action \"take {item} from {place}\": the verification code has 1 capture group(s) but the template has 2 placeholder(s); use (?:...) for groups that capture no placeholder, or name each group after its placeholder."));
    }

    [Fact]
    public void Placeholder_mismatch_on_names_and_values()
    {
        SingleIssue(OneAction("go {dir}", "^go (\\w+)$", ("direction", ["n"]))).Message
            .Should().Be("Action \"go {dir}\": 'parameters' lists no values for {dir}; 'parameters' names 'direction', which the template does not use.");
        SingleIssue(OneAction("go {dir}", "^go (\\w+)$", ("dir", []))).Message
            .Should().Be("Action \"go {dir}\": placeholder {dir} has no valid values; 'parameters' must list at least one string for it.");
        SingleIssue(OneAction("look", "^(look|l)$")).Code.Should().Be("placeholder-mismatch");
    }

    [Fact]
    public void Named_groups_carrying_the_placeholder_names_map_by_name()
    {
        var script = OneAction("put {obj} in {recep}", @"^put (?<obj>.+?) in (?<recep>.+)$|^place (?<recep>.+?) (?<obj>.+)$", ("obj", ["apple"]), ("recep", ["fridge"]));
        _verifier.VerifyScript(script).IsAccepted.Should().BeTrue();
    }

    [Fact]
    public void Python_named_groups_are_accepted()
    {
        var script = OneAction("put {obj} in {recep}", @"^put (?P<obj>.+?) in (?P<recep>.+)$", ("obj", ["apple"]), ("recep", ["fridge"]));
        _verifier.VerifyScript(script).IsAccepted.Should().BeTrue();
    }

    [Fact]
    public void Mixed_named_and_unnamed_groups_map_in_pattern_order()
    {
        // .NET numbers the unnamed group (item) 1 and the named one 2; the template expects the pattern's order.
        var script = OneAction("take {item} from {place}", @"^take (?<x>.+?) from (.+)$", ("item", ["apple"]), ("place", ["fridge"]));
        var compiled = _verifier.Compile(script)!;
        compiled.Match("take apple from fridge").Values.Should().Equal(new[] { new KeyValuePair<string, string>("item", "apple"), new KeyValuePair<string, string>("place", "fridge") });
    }

    [Fact]
    public void Regex_timeout_on_a_catastrophic_code()
    {
        var result = _verifier.Verify(SampleFiles.Variant("script-regex-timeout.json"));
        var issue = result.Issues.Should().ContainSingle().Subject;
        issue.Code.Should().Be("regex-timeout");
        issue.Message.Should().EndWith("against the verification code of action \"say {word}\" timed out after 100 ms; simplify the expression.");
    }

    [Fact]
    public void The_non_backtracking_engine_runs_the_catastrophic_code_in_linear_time()
    {
        var linear = new RuleBasedVerifier(new VerifierOptions { UseNonBacktrackingEngine = true });
        var result = linear.Verify(SampleFiles.Variant("script-regex-timeout.json"));
        result.Issues.Should().ContainSingle().Which.Code.Should().Be("action-self-check", "the value ends with '!' so it cannot match, but it no longer times out");
    }

    [Fact]
    public void Non_backtracking_falls_back_for_unsupported_constructs()
    {
        var linear = new RuleBasedVerifier(new VerifierOptions { UseNonBacktrackingEngine = true });
        var script = OneAction("say {w}", @"^say (?=\w)(\w+)$", ("w", ["hi"]));
        linear.VerifyScript(script).IsAccepted.Should().BeTrue();
        linear.Compile(script)!.Actions[0].Regex.Options.Should().NotHaveFlag(System.Text.RegularExpressions.RegexOptions.NonBacktracking);
    }

    [Fact]
    public void Action_self_check_when_the_template_does_not_match()
    {
        SingleIssue(OneAction("put on {item}", @"^\s*wear\s+(.+?)\s*$", ("item", ["gloves"]))).Should().Be(
            new VerificationIssue("action-self-check", null, "Action \"put on {item}\" filled with valid values, \"put on gloves\", does not fully match its own verification code."));
    }

    [Fact]
    public void Action_self_check_when_the_captures_differ()
    {
        var result = _verifier.Verify(SampleFiles.Variant("script-action-self-check.json"));
        result.Issues.Should().Equal(new VerificationIssue("action-self-check", null,
            "Action \"scan {item} as {filename}\": \"scan harbor photograph as harbor_1923.tif\" captures \"h\" for {filename}, expected \"harbor_1923.tif\"."));
    }

    [Fact]
    public void Self_check_uses_every_listed_value()
    {
        // Only the third value breaks the code (it contains a space).
        SingleIssue(OneAction("go {place}", @"^go (\w+)$", ("place", ["hall", "attic", "wine cellar"]))).Message.Should().Contain("\"go wine cellar\"");
    }

    [Fact]
    public void Full_match_is_required_not_a_prefix()
    {
        // Match would stop at "a" (first alternative); a full match must try "ab".
        _verifier.VerifyScript(OneAction("{w}", "(a|ab)", ("w", ["ab"]))).IsAccepted.Should().BeTrue();
        SingleIssue(OneAction("say {w}", "say (a)", ("w", ["ab"]))).Code.Should().Be("action-self-check");
    }

    [Fact]
    public void Script_issues_are_ordered_by_check_then_action()
    {
        var script = new Script(null, ["c"],
        [
            new ScriptAction("a {x}", "^a (.+)$", [new("x", ["1 2"])]) /* fine */,
            new ScriptAction("b {x}", "^b (\\w+)$", [new("x", ["1 2"])]) /* self-check */,
            new ScriptAction("c {x}", "^c (", [new("x", ["1"])]) /* regex-invalid */,
            new ScriptAction("d {x}", "^d .+$", [new("x", ["1"])]) /* placeholder-mismatch */,
        ]);
        var result = _verifier.VerifyScript(script);
        result.Issues.Select(i => i.Code).Should().Equal("script-missing-key", "regex-invalid", "placeholder-mismatch", "action-self-check");
        result.Feedback.Should().StartWith("The script failed verification. Write the whole script again as one JSON object, fixing every problem:\n- [script-missing-key] 'Goal' is missing");
    }

    [Fact]
    public void A_failing_script_decides_whatever_the_trajectory()
    {
        var result = _verifier.Verify(SampleFiles.Variant("script-regex-invalid.json"), SampleFiles.Trajectory);
        result.Outcome.Should().Be(VerificationOutcome.RegenerateScript);
        result.Issues.Single().Code.Should().Be("regex-invalid");
    }

    [Fact]
    public void Script_results_are_cached_per_instance()
    {
        var script = Script.Parse(SampleFiles.Script);
        _verifier.VerifyScript(script).Should().BeSameAs(_verifier.VerifyScript(script));
        _verifier.Compile(script).Should().BeSameAs(_verifier.Compile(script));
    }

    [Fact]
    public void Options_are_copied_when_the_verifier_is_built()
    {
        var options = new VerifierOptions { MinErrorRefineTurns = 2 };
        var verifier = new RuleBasedVerifier(options);
        options.MinErrorRefineTurns = 10;
        verifier.Verify(SampleFiles.Script, SampleFiles.Trajectory).IsAccepted.Should().BeTrue();
    }

    [Fact]
    public void Options_are_validated()
    {
        var act = () => new RuleBasedVerifier(new VerifierOptions { MinErrorRefineTurns = -1 });
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("MinErrorRefineTurns");
        var zero = () => new RuleBasedVerifier(new VerifierOptions { RegexMatchTimeout = TimeSpan.Zero });
        zero.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("RegexMatchTimeout");
    }
}
