using AgentRefine.Conversion;
using AgentRefine.Scripts;
using AgentRefine.Synthesis;
using AgentRefine.Trajectories;
using AgentRefine.Verification;

namespace AgentRefine.Core.Tests.Conversion;

public class RefinementTuningConverterTests
{
    private static readonly Script SampleScript = Script.Parse(SampleFiles.Script);
    private static readonly Trajectory SampleGame = Trajectory.Parse(SampleFiles.Trajectory);

    private static TrainingConversation Convert(ConversionMode mode = ConversionMode.MaskErroneous, string? system = null) =>
        new RefinementTuningConverter(new RuleBasedVerifier(), new ConversionOptions { Mode = mode, SystemPrompt = system })
            .Convert("r1", SampleScript, SampleGame).Conversation!;

    [Fact]
    public void Mistaken_turns_stay_in_context_without_loss()
    {
        var conversation = Convert();

        conversation.Messages.Should().HaveCount(22, "11 Player turns with their observations; the final DM turn is dropped");
        conversation.Messages.Select(m => m.Role).Should().Equal(Enumerable.Range(0, 22).Select(i => i % 2 == 0 ? TrainingRole.User : TrainingRole.Assistant));
        var assistants = conversation.Messages.Where(m => m.Role == TrainingRole.Assistant).ToList();
        assistants.Select(m => m.Train).Should().Equal(false, true, false, true, true, true, true, true, false, true, true);
        assistants[0].ErrorTypes.Should().Equal("place_error");
        assistants[2].ErrorTypes.Should().Equal("logic_error");
        assistants[8].ErrorTypes.Should().Equal("parameter_error");
        assistants[0].Content.Should().Be("Thought: I need the harbor photograph. I will take it.\nAction: take harbor photograph from front desk");
        conversation.Messages[^1].Content.Should().EndWith("Action: scan harbor photograph as harbor_1923.tif");
        conversation.Messages[2].Content.Should().Be("There is no harbor photograph at the front desk.", "user messages are the DM's observations");
        conversation.TrainedTurns.Should().Be(8);
        conversation.MaskedTurns.Should().Be(3);
    }

    [Fact]
    public void The_first_message_carries_the_task_but_never_the_hidden_environment()
    {
        var first = Convert().Messages[0].Content;

        first.Should().Be(
            "You are an agent in a text-based environment. Reach the goal by taking one action per turn. After each action you will see what happens; if an action is invalid or does not work, read the feedback and correct yourself.\n\n" +
            "Goal: Scan the 1923 harbor photograph and save it to the archive drive as harbor_1923.tif.\n\n" +
            "Available actions:\n- go to {place}: Walk to another room.\n- take {item} from {place}: Pick up an item that is in the given room.\n- put on {item}: Wear an item you carry.\n- scan {item} as {filename}: Scan an item you carry on the flatbed scanner and save it to the archive drive.\n- look: Describe the current room.\n\n" +
            "Answer every turn in exactly this format:\nThought: <your reasoning>\nAction: <one action, written exactly in the format of an available action>\n\n" +
            "You are at the front desk. A visitor log and a pair of cotton gloves lie on the counter. Doors lead to the archive room and the scanning room.");
        first.Should().NotContain("free_space_gb").And.NotContain("scanner_settings").And.NotContain("Completion", "the environment and conditions are hidden");
        Convert().Messages.Should().NotContain(m => m.Content.Contains("The player starts", StringComparison.Ordinal), "DM thoughts are never shown");
    }

    [Fact]
    public void Train_all_trains_every_assistant_turn()
    {
        var conversation = Convert(ConversionMode.TrainAll);
        conversation.Messages.Where(m => m.Role == TrainingRole.Assistant).Should().OnlyContain(m => m.Train);
        conversation.MaskedTurns.Should().Be(0);
        conversation.Messages.Count(m => m.IsErroneous).Should().Be(3, "the mistakes are still marked");
    }

    [Fact]
    public void Strip_errors_removes_each_mistake_and_the_dm_reply_after_it()
    {
        var conversation = Convert(ConversionMode.StripErroneous);

        conversation.Messages.Should().HaveCount(16);
        conversation.Messages.Should().NotContain(m => m.IsErroneous);
        conversation.Messages.Should().NotContain(m => m.Content == "There is no harbor photograph at the front desk.");
        conversation.Messages[1].Content.Should().EndWith("Action: go to archive room", "the correction answers the observation before the mistake");
        conversation.Messages.Where(m => m.Role == TrainingRole.Assistant).Should().OnlyContain(m => m.Train);
    }

    [Fact]
    public void A_system_message_is_optional_and_first()
    {
        var conversation = Convert(system: "You are a careful agent.");
        conversation.Messages[0].Should().Be(new TrainingMessage(TrainingRole.System, "You are a careful agent.", false, []));
        conversation.System.Should().Be("You are a careful agent.");
        conversation.Messages.Should().HaveCount(23);
        Convert().System.Should().BeNull();
    }

    [Fact]
    public void A_custom_template_is_rendered()
    {
        var converter = new RefinementTuningConverter(new RuleBasedVerifier(), new ConversionOptions { PromptTemplate = "Task: {{ goal }}\nDone when:\n{{completion_conditions}}\n---\n{{observation}}" });
        converter.Convert("r1", SampleScript, SampleGame).Conversation!.Messages[0].Content.Should().Be(
            "Task: Scan the 1923 harbor photograph and save it to the archive drive as harbor_1923.tif.\nDone when:\n- The player wears cotton gloves while handling the harbor photograph.\n- harbor_1923.tif exists on the archive drive.\n---\nYou are at the front desk. A visitor log and a pair of cotton gloves lie on the counter. Doors lead to the archive room and the scanning room.");
    }

    [Theory]
    [InlineData("Goal: {{goal}} {{environment}}", "The prompt template uses an unknown placeholder {{environment}}; known placeholders: {{goal}}, {{actions}}, {{completion_conditions}}, {{output_format}}, {{observation}}.")]
    [InlineData("Goal: {{goal", "The prompt template has an unclosed placeholder at character 6.")]
    public void A_bad_template_is_refused(string template, string message)
    {
        var act = () => new FirstMessageTemplate(template);
        act.Should().Throw<FormatException>().WithMessage(message);
    }

    [Fact]
    public async Task Records_are_verified_again_and_skips_have_reasons()
    {
        var converter = new RefinementTuningConverter(new RuleBasedVerifier());
        var outcomes = new List<ConversionOutcome>();
        await foreach (var entry in SynthesisRecordReader.ReadAsync(Path.Combine(AppContext.BaseDirectory, "samples", "records.jsonl")))
        {
            outcomes.Add(converter.Convert(entry.Record!));
        }

        outcomes.Select(o => o.SkipReason).Should().Equal(null, null, "rejected-record", "too-few-refinements");
        outcomes[2].Message.Should().Be("records.jsonl:3: record 32055561932a5d5878a3eeb88383db6d has status 'rejected'.");
        outcomes[3].Message.Should().StartWith("records.jsonl:4: record 81cccba481402e03f0a2183f9ab0169b fails verification: [too-few-refinements]");
        outcomes[1].Conversation!.TrainedTurns.Should().Be(4);
        outcomes[1].Conversation!.MaskedTurns.Should().Be(2);
    }

    [Fact]
    public void A_conversation_that_trains_nothing_is_not_emitted()
    {
        Trajectory game = new([new DmTurn(0, "t", "o"), new PlayerTurn(1, "t", "look"), new DmTurn(2, "t", "o", LogicError: true, TaskCompleted: true)]);
        var outcome = new RefinementTuningConverter(new RuleBasedVerifier()).Convert("r9", SampleScript, game);
        outcome.Conversation.Should().BeNull();
        outcome.SkipReason.Should().Be("no-trained-turn");
        outcome.Message.Should().Be("Record r9: no assistant turn would be trained.");
    }

    private static SynthesisRecord OneRefinementRecord(int? recordedMinimum) => new()
    {
        Id = "one",
        Script = SampleScript,
        Trajectory = Trajectory.Parse(SampleFiles.Variant("trajectory-one-refinement.json")),
        Provenance = recordedMinimum is { } minimum ? new RecordProvenance { Verifier = new VerifierOptions { MinErrorRefineTurns = minimum } } : null,
    };

    [Theory]
    [InlineData(1, null, null)]
    [InlineData(null, null, "too-few-refinements")]
    [InlineData(1, 2, "too-few-refinements")]
    [InlineData(null, 1, null)]
    [InlineData(3, 0, null)]
    public void Each_record_is_verified_under_its_own_settings_unless_overridden(int? recordedMinimum, int? overrideMinimum, string? skipReason)
    {
        var converter = new RefinementTuningConverter(new VerifierFactory(), new ConversionOptions { MinErrorRefineTurns = overrideMinimum });

        var outcome = converter.Convert(OneRefinementRecord(recordedMinimum));

        outcome.SkipReason.Should().Be(skipReason, outcome.Message);
        if (skipReason is null)
        {
            outcome.Conversation!.MaskedTurns.Should().Be(1);
        }
        else
        {
            outcome.Message.Should().StartWith($"Record one fails verification: [too-few-refinements] The trajectory has 1 error-refine turn(s); at least {overrideMinimum ?? recordedMinimum ?? 2} are required");
        }
    }

    [Fact]
    public void The_factory_defaults_apply_to_records_that_name_no_settings()
    {
        var converter = new RefinementTuningConverter(new VerifierFactory(new VerifierOptions { MinErrorRefineTurns = 1 }));
        converter.Convert(OneRefinementRecord(null)).SkipReason.Should().BeNull();
        converter.Convert(OneRefinementRecord(2)).SkipReason.Should().Be("too-few-refinements", "a record's own settings win over the defaults");
    }

    [Fact]
    public void A_converter_on_one_verifier_uses_it_for_every_record()
    {
        new RefinementTuningConverter(new RuleBasedVerifier()).Convert(OneRefinementRecord(1)).SkipReason.Should().Be("too-few-refinements");

        var act = () => new RefinementTuningConverter(new RuleBasedVerifier(), new ConversionOptions { MinErrorRefineTurns = 1 });
        act.Should().Throw<ArgumentException>().WithMessage("ConversionOptions.MinErrorRefineTurns applies to a converter built on an IVerifierFactory; a converter built on one IVerifier uses that verifier's settings for every record.*");
    }

    [Fact]
    public void A_negative_override_is_refused()
    {
        var act = () => new RefinementTuningConverter(new VerifierFactory(), new ConversionOptions { MinErrorRefineTurns = -1 });
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("MinErrorRefineTurns");
    }

    [Fact]
    public void A_record_made_in_memory_converts_like_one_read_back()
    {
        var record = new SynthesisRecord { Id = "mem", Status = SynthesisStatus.Rejected, Script = SampleScript, Trajectory = SampleGame };
        var converter = new RefinementTuningConverter(new VerifierFactory());

        converter.Convert(record).Message.Should().Be("Record mem has status 'rejected'.");
        converter.Convert(new SynthesisRecord { Id = "mem", Script = SampleScript, Trajectory = SampleGame }).Conversation!.TrainedTurns.Should().Be(8);
    }
}
