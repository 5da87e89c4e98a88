using System.Text;
using AgentRefine.Scripts;
using AgentRefine.Trajectories;
using AgentRefine.Verification;
using FsCheck;
using FsCheck.Fluent;

namespace AgentRefine.Core.Tests.Verification;

/// <summary>Random corruption of valid inputs never throws: every outcome is a verdict with a reason.</summary>
public class CorruptionPropertyTests
{
    private static readonly RuleBasedVerifier Verifier = new();
    private static readonly Script SampleScript = Script.Parse(SampleFiles.Script);
    private static readonly string SampleTrajectory = SampleFiles.Trajectory;
    private static readonly string[] Fragments = ["{", "}", "[", "]", "\"", ",", ":", "null", "true", "\\", "\u0000", "\ud800", "é", "```", "\"role\": \"Player\"", "1e999", "-0", "\n"];

    /// <summary>One random edit: delete a span, insert a fragment, or truncate.</summary>
    private static Gen<string> Corrupt(string text) =>
        from kind in Gen.Choose(0, 3)
        from position in Gen.Choose(0, text.Length)
        from length in Gen.Choose(0, 40)
        from fragment in Gen.Elements(Fragments)
        select kind switch
        {
            0 => text.Remove(position, Math.Min(length, text.Length - position)),
            1 => text.Insert(position, fragment),
            2 => text[..position],
            _ => new StringBuilder(text).Replace(':', ',', position, Math.Min(length, text.Length - position)).ToString(),
        };

    private static Gen<string> CorruptedMany(string text) =>
        Gen.Choose(1, 4).SelectMany(n => Enumerable.Range(0, n).Aggregate(Gen.Constant(text), (g, _) => g.SelectMany(Corrupt)));

    [Fact]
    public void Corrupted_trajectories_always_get_a_verdict()
    {
        Prop.ForAll(CorruptedMany(SampleTrajectory).ToArbitrary(), text =>
        {
            var result = Verifier.VerifyTrajectory(SampleScript, TrajectoryReader.Read(text));
            return result.Outcome == VerificationOutcome.Accepted
                ? result.Issues.Count == 0
                : result.Issues.Count > 0 && result.Feedback.Length > 0 && result.KeptTurns <= 23;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(500));
    }

    [Fact]
    public void Corrupted_scripts_always_get_a_verdict()
    {
        Prop.ForAll(CorruptedMany(SampleFiles.Script).ToArbitrary(), text =>
        {
            var result = Verifier.Verify(text, SampleTrajectory);
            return result.Outcome != VerificationOutcome.RegenerateScript || result.Issues.Count > 0;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }
}
