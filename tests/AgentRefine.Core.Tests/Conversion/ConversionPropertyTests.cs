using AgentRefine.Conversion;
using AgentRefine.Scripts;
using AgentRefine.Trajectories;
using AgentRefine.Verification;
using FsCheck;
using FsCheck.Fluent;

namespace AgentRefine.Core.Tests.Conversion;

/// <summary>Invariants of the conversion over generated, verified trajectories.</summary>
public class ConversionPropertyTests
{
    private static readonly Script SampleScript = Script.Parse(SampleFiles.Script);
    private static readonly string[] Actions = ["go to front desk", "go to archive room", "look", "put on cotton gloves", "take letter bundle from archive room"];
    private static readonly RuleBasedVerifier Verifier = new(new VerifierOptions { MinErrorRefineTurns = 0 });

    /// <summary>A verified game: k Player turns, each answered by a DM turn with random flags, then a completing DM turn.</summary>
    private static readonly Gen<Trajectory> Games =
        from count in Gen.Choose(1, 14)
        from flags in Gen.ArrayOf(Gen.Choose(0, 7), count)
        from actions in Gen.ArrayOf(Gen.Elements(Actions), count)
        select BuildGame(flags, actions);

    private static Trajectory BuildGame(int[] flags, string[] actions)
    {
        var turns = new List<Turn> { new DmTurn(0, "t", "start") };
        for (var i = 0; i < flags.Length; i++)
        {
            var last = i == flags.Length - 1;
            var f = last ? 0 : flags[i];
            turns.Add(new PlayerTurn(turns.Count, $"thought {i}", actions[i]));
            turns.Add(new DmTurn(turns.Count, "t", $"observation {i}", (f & 1) != 0, (f & 2) != 0, (f & 4) != 0, last));
        }

        return new Trajectory(turns);
    }

    private static bool WellFormed(TrainingConversation conversation)
    {
        var messages = conversation.Messages;
        return messages.Count >= 2
            && messages.Select((m, i) => m.Role == (i % 2 == 0 ? TrainingRole.User : TrainingRole.Assistant)).All(ok => ok)
            && messages[^1].Role == TrainingRole.Assistant
            && messages.Where(m => m.Role != TrainingRole.Assistant).All(m => !m.Train);
    }

    private static TrainingConversation? Convert(Trajectory game, ConversionMode mode)
    {
        Verifier.VerifyTrajectory(SampleScript, TrajectoryReadResult.FromTurns(game)).Outcome.Should().Be(VerificationOutcome.Accepted);
        return new RefinementTuningConverter(Verifier, new ConversionOptions { Mode = mode }).Convert("p", SampleScript, game).Conversation;
    }

    [Fact]
    public void Mask_erroneous_trains_exactly_the_turns_the_dm_did_not_flag()
    {
        Prop.ForAll(Games.ToArbitrary(), game =>
        {
            var conversation = Convert(game, ConversionMode.MaskErroneous)!;
            var flagged = game.OfType<DmTurn>().Skip(1).Select(dm => dm.HasError).ToList();
            var assistants = conversation.Messages.Where(m => m.Role == TrainingRole.Assistant).ToList();
            return WellFormed(conversation)
                && assistants.Count == flagged.Count
                && assistants.Select(m => m.Train).SequenceEqual(flagged.Select(f => !f))
                && assistants.All(m => m.Train == !m.IsErroneous);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    [Fact]
    public void Train_all_trains_every_assistant_turn()
    {
        Prop.ForAll(Games.ToArbitrary(), game =>
        {
            var conversation = Convert(game, ConversionMode.TrainAll)!;
            return WellFormed(conversation) && conversation.Messages.Where(m => m.Role == TrainingRole.Assistant).All(m => m.Train);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    [Fact]
    public void Strip_erroneous_leaves_no_mistake()
    {
        Prop.ForAll(Games.ToArbitrary(), game =>
        {
            var conversation = Convert(game, ConversionMode.StripErroneous)!;
            var clean = game.OfType<DmTurn>().Skip(1).Count(dm => !dm.HasError);
            return WellFormed(conversation)
                && !conversation.Messages.Any(m => m.IsErroneous)
                && conversation.TrainedTurns == clean
                && conversation.MaskedTurns == 0;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }
}
