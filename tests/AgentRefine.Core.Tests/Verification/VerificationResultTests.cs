using System.Text;
using System.Text.Json;
using AgentRefine.Synthesis;
using AgentRefine.Verification;

namespace AgentRefine.Core.Tests.Verification;

public class VerificationResultTests
{
    private static string Json(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public void The_verdict_and_a_records_verdict_share_one_shape()
    {
        var result = new RuleBasedVerifier().Verify(SampleFiles.Script, SampleFiles.Variant("trajectory-truncated.json"));

        var verdict = Json(result.WriteTo);
        var stored = Json(SynthesisVerdict.From(SynthesisStage.Trajectory, 2, result).WriteTo);

        verdict.Should().StartWith("""{"outcome":"continue","keptTurns":9,"errorRefineTurns":2,"issues":[{"code":"json-format","turn":9,"message":"The JSON breaks at turn 9:""");
        stored.Should().Be("""{"stage":"trajectory","attempt":2,""" + verdict[1..]);
    }

    [Fact]
    public void An_accepted_verdict_has_no_issues()
    {
        Json(new RuleBasedVerifier().Verify(SampleFiles.Script, SampleFiles.Trajectory).WriteTo)
            .Should().Be("""{"outcome":"accepted","keptTurns":23,"errorRefineTurns":3,"issues":[]}""");
    }
}
