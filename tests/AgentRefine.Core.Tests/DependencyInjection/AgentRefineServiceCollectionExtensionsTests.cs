using AgentRefine.Verification;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentRefine.Core.Tests.DependencyInjection;

public class AgentRefineServiceCollectionExtensionsTests
{
    [Fact]
    public void Registers_the_rule_based_verifier_with_bound_options()
    {
        using var provider = new ServiceCollection()
            .AddLogging()
            .AddAgentRefine(o => o.Verification.MinErrorRefineTurns = 4)
            .BuildServiceProvider();

        var verifier = provider.GetRequiredService<IVerifier>();
        verifier.Should().BeOfType<RuleBasedVerifier>();
        verifier.Should().BeSameAs(provider.GetRequiredService<IVerifier>());
        verifier.Verify(SampleFiles.Script, SampleFiles.Trajectory).Outcome.Should().Be(VerificationOutcome.Regenerate, "the sample has 3 error-refine turns and 4 are required");
    }

    private sealed class HostVerifier : RuleBasedVerifier;

    [Fact]
    public void A_host_registration_wins_before_or_after()
    {
        using var before = new ServiceCollection().AddSingleton<IVerifier, HostVerifier>().AddAgentRefine().BuildServiceProvider();
        before.GetRequiredService<IVerifier>().Should().BeOfType<HostVerifier>();

        var services = new ServiceCollection().AddAgentRefine();
        services.AddAgentRefine();
        services.Count(d => d.ServiceType == typeof(IVerifier)).Should().Be(1, "calling AddAgentRefine twice adds nothing twice");
        services.Count(d => d.ServiceType == typeof(IValidateOptions<AgentRefineOptions>)).Should().Be(1);
    }

    [Fact]
    public void Invalid_options_fail_with_the_setting_named()
    {
        using var provider = new ServiceCollection().AddAgentRefine(o => o.ReadLimits.MaxTurns = 0).BuildServiceProvider();
        var act = () => provider.GetRequiredService<IOptions<AgentRefineOptions>>().Value;
        act.Should().Throw<OptionsValidationException>().WithMessage("*MaxTurns*");
    }

    [Fact]
    public void Defaults_follow_the_paper()
    {
        var options = new AgentRefineOptions();
        options.Verification.MinErrorRefineTurns.Should().Be(2);
        options.Verification.RegexMatchTimeout.Should().Be(TimeSpan.FromMilliseconds(100));
        options.Verification.UseNonBacktrackingEngine.Should().BeFalse();
    }
}
