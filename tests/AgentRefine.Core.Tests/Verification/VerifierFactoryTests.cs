using AgentRefine.Verification;

namespace AgentRefine.Core.Tests.Verification;

public class VerifierFactoryTests
{
    private static string OneRefinement => SampleFiles.Variant("trajectory-one-refinement.json");

    [Fact]
    public void Equal_settings_share_one_verifier_and_others_get_their_own()
    {
        var factory = new VerifierFactory();

        var one = factory.Create(new VerifierOptions { MinErrorRefineTurns = 1 });

        factory.Create(new VerifierOptions { MinErrorRefineTurns = 1 }).Should().BeSameAs(one);
        factory.Create(new VerifierOptions()).Should().NotBeSameAs(one);
        one.Settings!.MinErrorRefineTurns.Should().Be(1);
        one.Verify(SampleFiles.Script, OneRefinement).Outcome.Should().Be(VerificationOutcome.Accepted);
        factory.Create(new VerifierOptions()).Verify(SampleFiles.Script, OneRefinement).Outcome.Should().Be(VerificationOutcome.Regenerate);
    }

    [Fact]
    public void The_defaults_are_a_copy()
    {
        var defaults = new VerifierOptions { MinErrorRefineTurns = 3 };
        var factory = new VerifierFactory(defaults);
        defaults.MinErrorRefineTurns = 9;
        factory.Defaults.MinErrorRefineTurns.Should().Be(3);
        factory.Defaults.MinErrorRefineTurns = 5;
        factory.Defaults.MinErrorRefineTurns.Should().Be(3);
        new VerifierFactory().Defaults.MinErrorRefineTurns.Should().Be(2);
    }

    [Fact]
    public void A_host_verifier_is_made_by_its_create_function()
    {
        var asked = new List<int>();
        var factory = new VerifierFactory(create: settings =>
        {
            asked.Add(settings.MinErrorRefineTurns);
            return new HostVerifier(settings);
        });

        factory.Create(new VerifierOptions { MinErrorRefineTurns = 4 }).Should().BeOfType<HostVerifier>();
        factory.Create(new VerifierOptions { MinErrorRefineTurns = 4 });
        asked.Should().Equal(4);
    }

    [Fact]
    public void Settings_out_of_range_are_refused()
    {
        var act = () => new VerifierFactory().Create(new VerifierOptions { RegexMatchTimeout = TimeSpan.Zero });
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("RegexMatchTimeout");
    }

    [Fact]
    public void A_rule_based_verifier_reports_a_copy_of_its_settings()
    {
        var verifier = new RuleBasedVerifier(new VerifierOptions { MinErrorRefineTurns = 1, UseNonBacktrackingEngine = true });
        verifier.Settings.Should().BeEquivalentTo(new VerifierOptions { MinErrorRefineTurns = 1, UseNonBacktrackingEngine = true });
        verifier.Settings.MinErrorRefineTurns = 7;
        verifier.Settings.MinErrorRefineTurns.Should().Be(1);
    }

    private sealed class HostVerifier(VerifierOptions options) : RuleBasedVerifier(options);
}
