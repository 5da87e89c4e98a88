using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AgentRefine.Core.Tests.Fakes;
using AgentRefine.Llm;
using AgentRefine.Personas;
using AgentRefine.Scripts;
using AgentRefine.Synthesis;
using AgentRefine.Trajectories;
using AgentRefine.Verification;
using Microsoft.Extensions.AI;

namespace AgentRefine.Core.Tests.Synthesis;

/// <summary>One end-to-end test per path of the paper's loop, with the exact calls and prompts.</summary>
public class PersonaSynthesizerTests
{
    private static readonly Persona Librarian = new("A community librarian digitizing a local history archive", "personas.jsonl:1");
    private static readonly string GoodScript = SampleFiles.Script;
    private static readonly string Game = "{\"turns\": " + SampleFiles.Trajectory + "}";

    private static string TurnsFrom(int first) =>
        "{\"turns\": [" + string.Join(",", JsonNode.Parse(SampleFiles.Trajectory)!.AsArray().Skip(first).Select(t => t!.ToJsonString())) + "]}";

    private static (PersonaSynthesizer Pipeline, ScriptedChatClient Client) Create(params object[] responses)
    {
        var client = new ScriptedChatClient(responses);
        var synthesizer = new PersonaSynthesizer(new LlmScriptGenerator(client), new LlmTrajectorySimulator(client), new RuleBasedVerifier());
        return (synthesizer, client);
    }

    private static string[] Outcomes(SynthesisRecord record) => record.Verdicts.Select(v => $"{v.StageName}:{v.Outcome}").ToArray();

    [Fact]
    public async Task Accepted_at_the_first_try_uses_two_calls()
    {
        var (pipeline, client) = Create(GoodScript, Game);

        var record = await pipeline.SynthesizeAsync(Librarian);

        record.Status.Should().Be(SynthesisStatus.Accepted);
        record.Id.Should().Be(SynthesisRecord.ComputeId(Librarian.Text, null)).And.HaveLength(32);
        Outcomes(record).Should().Equal("script:accepted", "trajectory:accepted");
        record.Trajectory!.Count.Should().Be(23);
        record.Provenance!.Calls.Should().Be(2);
        record.Provenance.Models.Should().Equal("scripted-model");
        record.Provenance.ScriptPromptVersion.Should().Be("script-v1");
        record.Provenance.TrajectoryPromptVersion.Should().Be("trajectory-v1");
        record.Provenance.PersonaSource.Should().Be("personas.jsonl:1");
        record.Verdicts.Select(v => v.Stage).Should().Equal(SynthesisStage.Script, SynthesisStage.Trajectory);
        client.Requests.Should().HaveCount(2);
        record.Usage.InputTokens.Should().Be(client.Requests.Sum(r => r.Messages.Sum(m => m.Text!.Length) / 4));

        var (scriptMessages, scriptOptions) = client.Requests.First();
        scriptMessages.Should().HaveCount(2);
        Regex.Matches(scriptMessages[0].Text!, @"^Example \d\. Persona: ", RegexOptions.Multiline).Should().HaveCount(LlmScriptGenerator.ExampleCount).And.HaveCount(3);
        scriptMessages[1].Text.Should().Be("Persona: A community librarian digitizing a local history archive\n\nWrite the script for this persona.");
        scriptOptions!.ResponseFormat.Should().Be(ChatResponseFormat.Json);
        scriptOptions.AdditionalProperties![LlmResponseProperties.Attempt].Should().Be(1);
        scriptOptions.AdditionalProperties![LlmResponseProperties.RecordId].Should().Be(record.Id);

        var (gameMessages, gameOptions) = client.Requests.Last();
        Regex.Matches(gameMessages[0].Text!, "^Game:$", RegexOptions.Multiline).Should().HaveCount(1, "the prompt holds one example game");
        gameMessages[0].Text.Should().Contain("at least 2 mistakes");
        gameMessages[1].Text.Should().StartWith("Script:\n{").And.EndWith("Play the whole game on this script.");
        gameOptions!.AdditionalProperties![LlmResponseProperties.Role].Should().Be("trajectory");
        gameOptions.AdditionalProperties![LlmResponseProperties.Attempt].Should().Be(2);
        gameOptions.MaxOutputTokens.Should().Be(8_192);
    }

    [Fact]
    public async Task A_failed_script_is_regenerated_with_its_feedback()
    {
        var broken = SampleFiles.Variant("script-regex-invalid.json");
        var (pipeline, client) = Create(broken, GoodScript, Game);

        var record = await pipeline.SynthesizeAsync(Librarian);

        record.Status.Should().Be(SynthesisStatus.Accepted);
        Outcomes(record).Should().Equal("script:regenerate-script", "script:accepted", "trajectory:accepted");
        record.Provenance!.Calls.Should().Be(3);
        client.Requests.Should().HaveCount(3);
        var retry = client.Requests.ElementAt(1).Messages;
        retry.Should().HaveCount(4);
        retry[2].Role.Should().Be(ChatRole.Assistant);
        retry[2].Text.Should().Be(broken);
        retry[3].Text.Should().StartWith("The script failed verification. Write the whole script again as one JSON object, fixing every problem:\n- [regex-invalid] The verification code of action \"go to {place}\" does not compile:");
    }

    [Fact]
    public async Task A_truncated_game_is_continued_from_the_verified_prefix()
    {
        var truncated = Game[..(Game.IndexOf("\"turn\": 9,", StringComparison.Ordinal) + 30)];
        var (pipeline, client) = Create(GoodScript, truncated, TurnsFrom(9));

        var record = await pipeline.SynthesizeAsync(Librarian);

        record.Status.Should().Be(SynthesisStatus.Accepted);
        Outcomes(record).Should().Equal("script:accepted", "trajectory:continue", "trajectory:accepted");
        record.Verdicts[1].KeptTurns.Should().Be(9);
        record.Verdicts[1].Issues.Single().Code.Should().Be("json-format");
        record.Trajectory!.ToJson().Should().Be(Trajectory.Parse(SampleFiles.Trajectory).ToJson());
        client.Requests.Should().HaveCount(3);
        var continuation = client.Requests.Last().Messages[1].Text!;
        continuation.Should().Contain("The game so far, already verified (do not repeat it):\n[");
        continuation.Should().Contain("\"Observation\": \"You are at the front desk. The cotton gloves lie on the counter.\"", "the prefix ends with turn 8");
        continuation.Should().NotContain("\"turn\": 9,");
        continuation.Should().Contain("The verifier says:\n[json-format] The JSON breaks at turn 9:");
        continuation.Should().EndWith("Continue the game: return only the turns that follow, starting with turn 9 (Player), as {\"turns\": [...]}.");
    }

    [Fact]
    public async Task An_unmatched_action_is_continued_from_before_it()
    {
        var (pipeline, client) = Create(GoodScript, SampleFiles.Variant("trajectory-action-unmatched.json"), TurnsFrom(13));

        var record = await pipeline.SynthesizeAsync(Librarian);

        Outcomes(record).Should().Equal("script:accepted", "trajectory:continue", "trajectory:accepted");
        record.Verdicts[1].KeptTurns.Should().Be(13);
        record.Verdicts[1].Issues.Single().Code.Should().Be("action-unmatched");
        client.Requests.Last().Messages[1].Text.Should().Contain("starting with turn 13 (Player)").And.Contain("[action-unmatched] Turn 13:");
        record.Trajectory![13].Should().Be(new PlayerTurn(13, "Back to the archive room for the photograph.", "go to archive room"));
    }

    [Fact]
    public async Task Too_few_refinements_regenerates_the_game_from_scratch()
    {
        var (pipeline, client) = Create(GoodScript, SampleFiles.Variant("trajectory-one-refinement.json"), Game);

        var record = await pipeline.SynthesizeAsync(Librarian);

        Outcomes(record).Should().Equal("script:accepted", "trajectory:regenerate", "trajectory:accepted");
        var again = client.Requests.Last().Messages[1].Text!;
        again.Should().Contain("A previous game on this script was rejected:\n[too-few-refinements] The trajectory has 1 error-refine turn(s)");
        again.Should().EndWith("Play a new game on this script from the first turn.");
        again.Should().NotContain("The game so far");
    }

    [Fact]
    public async Task An_exhausted_budget_is_a_rejected_record_with_every_verdict()
    {
        var broken = SampleFiles.Variant("script-regex-invalid.json");
        var (pipeline, client) = Create(broken, broken, GoodScript, SampleFiles.Variant("trajectory-one-refinement.json"), Game);

        var record = await pipeline.SynthesizeAsync(Librarian);

        record.Status.Should().Be(SynthesisStatus.Rejected);
        record.Reason.Should().Be("too-few-refinements");
        Outcomes(record).Should().Equal("script:regenerate-script", "script:regenerate-script", "script:accepted", "trajectory:regenerate");
        record.Provenance!.Calls.Should().Be(4);
        client.Requests.Should().HaveCount(4, "the budget is 4 generations, script generations included");
        record.Script.Should().NotBeNull();
        record.Trajectory.Should().BeNull();
        record.ToJsonLine().Should().Contain("\"status\":\"rejected\"").And.Contain("\"reason\":\"too-few-refinements\"");
    }

    [Fact]
    public async Task The_budget_is_an_option()
    {
        var broken = SampleFiles.Variant("script-regex-invalid.json");
        var client = new ScriptedChatClient(broken, broken, broken, broken, broken, broken);
        var pipeline = new PersonaSynthesizer(new LlmScriptGenerator(client), new LlmTrajectorySimulator(client), new RuleBasedVerifier(), new SynthesisOptions { MaxLlmCallsPerPersona = 6 });

        var record = await pipeline.SynthesizeAsync(Librarian);

        record.Verdicts.Should().HaveCount(6);
        record.Reason.Should().Be("regex-invalid");
    }

    [Fact]
    public async Task A_call_that_fails_after_its_retries_spends_its_slot()
    {
        var (pipeline, _) = Create(new LlmTransportException("busy", 503), GoodScript, new HttpRequestException("reset"), Game);

        var record = await pipeline.SynthesizeAsync(Librarian);

        record.Status.Should().Be(SynthesisStatus.Accepted);
        Outcomes(record).Should().Equal("call:failed", "script:accepted", "call:failed", "trajectory:accepted");
        record.Verdicts[0].Issues.Single().Should().Be(new VerificationIssue("llm-call-failed", null, "The script call failed after its transport retries: LlmTransportException: busy"));
    }

    [Fact]
    public async Task A_budget_lost_to_transport_failures_leaves_the_persona_unfinished()
    {
        var (pipeline, _) = Create(GoodScript, new LlmTransportException("down", 503), new LlmTransportException("down", 503), new LlmTransportException("down", 503));

        var record = await pipeline.SynthesizeAsync(Librarian);

        record.Status.Should().Be(SynthesisStatus.Unfinished);
        record.StatusName.Should().Be("unfinished");
        record.Reason.Should().Be("llm-call-failed");
        Outcomes(record).Should().Equal("script:accepted", "call:failed", "call:failed", "call:failed");
    }

    [Fact]
    public async Task A_failure_retrying_cannot_fix_stops_the_persona()
    {
        var (pipeline, _) = Create(new LlmTransportException("Unauthorized", 401));
        var act = () => pipeline.SynthesizeAsync(Librarian);
        await act.Should().ThrowAsync<LlmTransportException>().WithMessage("Unauthorized");
    }

    [Fact]
    public async Task The_record_line_follows_the_contract()
    {
        var (pipeline, _) = Create(GoodScript, Game);
        var record = await pipeline.SynthesizeAsync(Librarian);

        var line = JsonNode.Parse(record.ToJsonLine())!.AsObject();
        line.Select(p => p.Key).Should().Equal("id", "status", "persona", "script", "trajectory", "provenance", "usage", "verdicts");
        line["persona"]!.GetValue<string>().Should().Be(Librarian.Text);
        line["script"]!["Available Actions"]!.AsObject().Count.Should().Be(5);
        line["trajectory"]!.AsArray().Count.Should().Be(23);
        line["provenance"]!.AsObject().Select(p => p.Key).Should().Equal("models", "promptVersions", "seed", "calls", "retries", "cachedCalls", "personaSource", "verifier");
        line["provenance"]!["verifier"]!.ToJsonString().Should().Be("""{"minErrorRefineTurns":2,"regexTimeoutMs":100,"regexEngine":"backtracking","maxVerificationCodeLength":2000}""");
        line["usage"]!.AsObject().Select(p => p.Key).Should().Equal("inputTokens", "outputTokens");
        line["verdicts"]!.AsArray().Select(v => v!["stage"]!.GetValue<string>()).Should().Equal("script", "trajectory");
        record.ToJsonLine().Should().NotContain("\n");
    }

    [Fact]
    public async Task The_provenance_carries_the_settings_the_record_was_verified_under()
    {
        var client = new ScriptedChatClient(GoodScript, SampleFiles.Variant("trajectory-one-refinement.json"));
        var verifier = new RuleBasedVerifier(new VerifierOptions { MinErrorRefineTurns = 1, UseNonBacktrackingEngine = true, RegexMatchTimeout = TimeSpan.FromMilliseconds(250) });
        var synthesizer = new PersonaSynthesizer(new LlmScriptGenerator(client), new LlmTrajectorySimulator(client, minErrorRefineTurns: 1), verifier);

        var record = await synthesizer.SynthesizeAsync(Librarian);

        record.Status.Should().Be(SynthesisStatus.Accepted, "one error-refine turn is enough under these settings");
        record.Provenance!.Verifier!.MinErrorRefineTurns.Should().Be(1);
        JsonNode.Parse(record.ToJsonLine())!["provenance"]!["verifier"]!.ToJsonString().Should().Be("""{"minErrorRefineTurns":1,"regexTimeoutMs":250,"regexEngine":"non-backtracking","maxVerificationCodeLength":2000}""");
    }

    [Fact]
    public async Task A_verifier_without_settings_records_none()
    {
        var client = new ScriptedChatClient(GoodScript, Game);
        var synthesizer = new PersonaSynthesizer(new LlmScriptGenerator(client), new LlmTrajectorySimulator(client), new HostVerifier(new RuleBasedVerifier()));

        var record = await synthesizer.SynthesizeAsync(Librarian);

        record.Status.Should().Be(SynthesisStatus.Accepted);
        record.Provenance!.Verifier.Should().BeNull();
        JsonNode.Parse(record.ToJsonLine())!["provenance"]!.AsObject().ContainsKey("verifier").Should().BeFalse();
    }

    [Fact]
    public async Task Cached_input_tokens_are_summed_into_the_usage()
    {
        var client = new ScriptedChatClient(GoodScript, Game) { CachedInputTokens = 40 };
        var synthesizer = new PersonaSynthesizer(new LlmScriptGenerator(client), new LlmTrajectorySimulator(client), new RuleBasedVerifier());

        var record = await synthesizer.SynthesizeAsync(Librarian);

        record.Usage.CachedInputTokens.Should().Be(80);
        JsonNode.Parse(record.ToJsonLine())!["usage"]!.ToJsonString().Should().Be($$"""{"inputTokens":{{record.Usage.InputTokens}},"outputTokens":{{record.Usage.OutputTokens}},"cachedInputTokens":80}""");
    }

    [Fact]
    public void The_record_id_follows_the_seed()
    {
        var client = new ScriptedChatClient();
        var synthesizer = new PersonaSynthesizer(new LlmScriptGenerator(client), new LlmTrajectorySimulator(client), new RuleBasedVerifier(), new SynthesisOptions { Seed = 7 });
        synthesizer.GetRecordId(Librarian).Should().Be(SynthesisRecord.ComputeId(Librarian.Text, 7));
    }

    /// <summary>A host's own verifier that reports no settings (the interface's default).</summary>
    private sealed class HostVerifier(IVerifier inner) : IVerifier
    {
        public VerificationResult VerifyScript(ScriptReadResult script, CancellationToken cancellationToken = default) => inner.VerifyScript(script, cancellationToken);

        public VerificationResult VerifyTrajectory(Script script, TrajectoryReadResult trajectory, CancellationToken cancellationToken = default) => inner.VerifyTrajectory(script, trajectory, cancellationToken);
    }

    [Fact]
    public void Ids_are_stable_and_depend_on_the_seed()
    {
        SynthesisRecord.ComputeId(" A persona ", null).Should().Be(SynthesisRecord.ComputeId("A persona", null));
        SynthesisRecord.ComputeId("A persona", 1).Should().NotBe(SynthesisRecord.ComputeId("A persona", null));
        SynthesisRecord.ComputeId("A persona", null).Should().MatchRegex("^[0-9a-f]{32}$");
    }
}
