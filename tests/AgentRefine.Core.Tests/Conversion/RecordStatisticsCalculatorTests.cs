using AgentRefine.Conversion;
using AgentRefine.Personas;
using AgentRefine.Scripts;
using AgentRefine.Synthesis;
using AgentRefine.Trajectories;
using AgentRefine.Verification;

namespace AgentRefine.Core.Tests.Conversion;

public sealed class RecordStatisticsCalculatorTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("agentrefine-stats-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Samples => Path.Combine(AppContext.BaseDirectory, "samples", "records.jsonl");

    /// <summary>A file with an accepted one-refinement record synthesized under a minimum of 1, and the same game without provenance.</summary>
    private string OneRefinementFile()
    {
        var script = Script.Parse(SampleFiles.Script);
        var game = Trajectory.Parse(SampleFiles.Variant("trajectory-one-refinement.json"));
        var path = Path.Combine(_folder, "records.jsonl");
        File.WriteAllLines(path,
        [
            new SynthesisRecord { Id = "with", Persona = new Persona("A", "p:1"), Script = script, Trajectory = game, Provenance = new RecordProvenance { Verifier = new VerifierOptions { MinErrorRefineTurns = 1 } } }.ToJsonLine(),
            new SynthesisRecord { Id = "without", Persona = new Persona("B", "p:2"), Script = script, Trajectory = game }.ToJsonLine(),
        ]);
        return path;
    }

    [Theory]
    [InlineData(null, 1)]
    [InlineData(1, 0)]
    [InlineData(2, 2)]
    public async Task Accepted_records_are_verified_under_their_own_settings_unless_overridden(int? minimum, int failing)
    {
        var statistics = await RecordStatisticsCalculator.ComputeAsync(OneRefinementFile(), new VerifierFactory(), minimum);

        statistics.Records.Should().Be(2);
        statistics.Accepted.Should().Be(2);
        statistics.AcceptedFailingVerification.Should().Be(failing);
        statistics.ErrorRefineTurns.Should().Be(failing == 2 ? (0, 0, 0) : (1, 1, 1));
    }

    [Fact]
    public async Task One_verifier_for_every_record_ignores_their_settings()
    {
        var statistics = await RecordStatisticsCalculator.ComputeAsync(OneRefinementFile(), new RuleBasedVerifier());
        statistics.AcceptedFailingVerification.Should().Be(2);
    }

    [Fact]
    public async Task The_samples_are_described()
    {
        var statistics = await RecordStatisticsCalculator.ComputeAsync(Samples, new VerifierFactory());

        statistics.Should().BeEquivalentTo(new RecordStatistics
        {
            Records = 4,
            Accepted = 3,
            Rejected = 1,
            UnreadableLines = 0,
            AcceptedFailingVerification = 1,
            Turns = (18.0, 13, 23),
            ErrorRefineTurns = (2.5, 2, 3),
            ActionsPerScript = (4.5, 4, 5),
            ErrorTypes = new Dictionary<string, long> { ["parameter_error"] = 2, ["place_error"] = 2, ["logic_error"] = 1 },
            DuplicatePersonas = 0,
            DuplicateGoals = 0,
            RejectedByReason = new Dictionary<string, int> { ["regex-invalid"] = 1 },
        });
    }

    [Fact]
    public async Task A_negative_minimum_is_refused()
    {
        var act = () => RecordStatisticsCalculator.ComputeAsync(Samples, new VerifierFactory(), -1);
        await act.Should().ThrowAsync<ArgumentOutOfRangeException>().WithParameterName("minErrorRefineTurns");
    }
}
