using AgentRefine.Scripts;
using AgentRefine.Trajectories;
using AgentRefine.Verification;

namespace AgentRefine.Core.Tests.Scripts;

/// <summary>The few-shot examples in the prompts must themselves pass verification.</summary>
public class PromptExampleTests
{
    [Fact]
    public void The_three_example_scripts_are_valid_and_from_different_domains()
    {
        var examples = LlmScriptGenerator.ExampleScripts();
        examples.Should().HaveCount(3);
        var verifier = new RuleBasedVerifier();
        foreach (var example in examples)
        {
            verifier.Verify(example).Issues.Should().BeEmpty();
        }

        examples.Select(e => Script.Parse(e).Goal).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void The_example_game_is_accepted_with_two_error_refine_turns_of_different_types()
    {
        var simulator = new LlmTrajectorySimulator(new Fakes.ScriptedChatClient());
        var prompt = simulator.SystemPrompt;
        var script = LlmScriptGenerator.ExampleScripts()[0];
        var game = prompt[(prompt.IndexOf("Game:\n", StringComparison.Ordinal) + 6)..];

        var result = new RuleBasedVerifier().Verify(script, game);

        result.Outcome.Should().Be(VerificationOutcome.Accepted);
        result.ErrorRefineTurns.Should().BeGreaterThanOrEqualTo(2);
        var flagged = result.VerifiedTurns.OfType<DmTurn>().Where(t => t.HasError).ToList();
        flagged.Select(t => (t.ParameterError, t.PlaceError, t.LogicError)).Distinct().Should().HaveCountGreaterThanOrEqualTo(2);
        prompt.Should().NotContain("{{");
    }

    [Fact]
    public void The_script_prompt_has_no_unfilled_placeholder()
    {
        LlmScriptGenerator.GetSystemPrompt().Should().NotContain("{{").And.Contain("Example 3. Persona: ");
    }
}
