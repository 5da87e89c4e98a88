using System.Text;
using System.Text.Json.Nodes;
using AgentRefine.Conversion;
using AgentRefine.Personas;
using AgentRefine.Scripts;
using AgentRefine.Synthesis;
using AgentRefine.Trajectories;
using AgentRefine.Verification;

namespace AgentRefine.Core.Tests.Synthesis;

/// <summary>One record type from write to read: the line written, the line read back, and lines written by other tools.</summary>
public class SynthesisRecordTests
{
    private const string SmallScript = """{"Environment":{"room":"hall"},"Goal":"Look around.","Completion Conditions":["The player looked."],"Available Actions":{"look":{"description":"Describe the room.","verification code":"^look$","parameters":{}}}}""";
    private const string SmallGame = """[{"turn":0,"role":"DM","Thought":"t","Observation":"A hall.","parameter_error":false,"place_error":false,"logic_error":false,"task_completed":false},{"turn":1,"role":"Player","Thought":"I look.","Action":"look"},{"turn":2,"role":"DM","Thought":"t","Observation":"Done.","parameter_error":false,"place_error":false,"logic_error":false,"task_completed":true}]""";

    private static string SamplePath => Path.Combine(AppContext.BaseDirectory, "samples", "records.jsonl");

    private static SynthesisRecord Read(string line, string source = "records.jsonl:1")
    {
        var result = SynthesisRecordReader.Parse(Encoding.UTF8.GetBytes(line), source);
        result.Error.Should().BeNull();
        return result.Record!;
    }

    private static string ReadError(string line) => SynthesisRecordReader.Parse(Encoding.UTF8.GetBytes(line), "r.jsonl:3").Error!;

    private static SynthesisRecord Rejected(VerifierOptions? verifier = null, long cachedInputTokens = 0) => new()
    {
        Id = "r1",
        Status = SynthesisStatus.Rejected,
        Persona = new Persona("A porter", "personas.jsonl:9"),
        Script = Script.Parse(SmallScript),
        Trajectory = null,
        Reason = "too-few-refinements",
        Verdicts =
        [
            new SynthesisVerdict(SynthesisStage.Script, 1, "accepted", 0, 0, []),
            new SynthesisVerdict(SynthesisStage.Call, 2, SynthesisVerdict.FailedOutcome, 0, 0, [new VerificationIssue(SynthesisVerdict.CallFailedCode, null, "The trajectory call failed after its transport retries: LlmTransportException: busy")]),
            new SynthesisVerdict(SynthesisStage.Trajectory, 3, "regenerate", 0, 0, [new VerificationIssue("too-few-refinements", null, "Too few.")]),
        ],
        Provenance = new RecordProvenance
        {
            Models = ["m1"],
            ScriptPromptVersion = "script-v1",
            TrajectoryPromptVersion = "trajectory-v1",
            Seed = 7,
            Calls = 3,
            Retries = 1,
            CachedCalls = 0,
            PersonaSource = "personas.jsonl:9",
            Verifier = verifier,
        },
        Usage = new TokenUsage(120, 45) { CachedInputTokens = cachedInputTokens },
    };

    private const string RejectedLine =
        """{"id":"r1","status":"rejected","persona":"A porter","script":""" + SmallScript + ""","trajectory":null"""
        + ""","reason":"too-few-refinements","provenance":{"models":["m1"],"promptVersions":{"script":"script-v1","trajectory":"trajectory-v1"},"seed":7,"calls":3,"retries":1,"cachedCalls":0,"personaSource":"personas.jsonl:9"}"""
        + ""","usage":{"inputTokens":120,"outputTokens":45}"""
        + ""","verdicts":[{"stage":"script","attempt":1,"outcome":"accepted","keptTurns":0,"errorRefineTurns":0,"issues":[]}"""
        + """,{"stage":"call","attempt":2,"outcome":"failed","keptTurns":0,"errorRefineTurns":0,"issues":[{"code":"llm-call-failed","turn":null,"message":"The trajectory call failed after its transport retries: LlmTransportException: busy"}]}"""
        + """,{"stage":"trajectory","attempt":3,"outcome":"regenerate","keptTurns":0,"errorRefineTurns":0,"issues":[{"code":"too-few-refinements","turn":null,"message":"Too few."}]}]}""";

    [Fact]
    public void The_line_keeps_the_existing_fields_byte_for_byte()
    {
        Rejected().ToJsonLine().Should().Be(RejectedLine);
    }

    [Fact]
    public void Verifier_settings_and_cached_tokens_are_added_after_the_existing_fields()
    {
        var line = Rejected(new VerifierOptions { MinErrorRefineTurns = 1 }, cachedInputTokens: 64).ToJsonLine();

        line.Should().Be(RejectedLine
            .Replace("\"personaSource\":\"personas.jsonl:9\"}", "\"personaSource\":\"personas.jsonl:9\",\"verifier\":{\"minErrorRefineTurns\":1,\"regexTimeoutMs\":100,\"regexEngine\":\"backtracking\",\"maxVerificationCodeLength\":2000}}", StringComparison.Ordinal)
            .Replace("\"outputTokens\":45}", "\"outputTokens\":45,\"cachedInputTokens\":64}", StringComparison.Ordinal));
    }

    [Fact]
    public void A_written_record_reads_back_as_the_same_record()
    {
        var written = Rejected(new VerifierOptions { MinErrorRefineTurns = 3, UseNonBacktrackingEngine = true, RegexMatchTimeout = TimeSpan.FromMilliseconds(12.5), MaxVerificationCodeLength = 500 }, cachedInputTokens: 64);

        var read = Read(written.ToJsonLine());

        read.ToJsonLine().Should().Be(written.ToJsonLine());
        read.Source.Should().Be("records.jsonl:1");
        read.Status.Should().Be(SynthesisStatus.Rejected);
        read.Persona.Should().Be(new Persona("A porter", "personas.jsonl:9"));
        read.Reason.Should().Be("too-few-refinements");
        read.Script!.ToJson().Should().Be(SmallScript);
        read.Trajectory.Should().BeNull();
        read.TrajectoryRead.Turns.Should().BeEmpty();
        read.Verdicts.Should().BeEquivalentTo(written.Verdicts);
        read.Verdicts.Select(v => v.Stage).Should().Equal(SynthesisStage.Script, SynthesisStage.Call, SynthesisStage.Trajectory);
        read.Provenance.Should().BeEquivalentTo(written.Provenance);
        read.Provenance!.Verifier!.RegexMatchTimeout.Should().Be(TimeSpan.FromMilliseconds(12.5));
        read.Usage.Should().Be(new TokenUsage(120, 45) { CachedInputTokens = 64 });
    }

    [Fact]
    public async Task Every_stored_sample_line_writes_back_byte_for_byte()
    {
        var lines = await File.ReadAllLinesAsync(SamplePath);
        var records = await SynthesisRecordReader.ReadAsync(SamplePath).ToListAsync();

        records.Select(r => r.Record!.ToJsonLine()).Should().Equal(lines);
        records.Select(r => r.Record!.Source).Should().Equal("records.jsonl:1", "records.jsonl:2", "records.jsonl:3", "records.jsonl:4");
        records[0].Record!.Trajectory!.Count.Should().Be(23, "the turns read are typed on first use");
        records[1].Record!.Verdicts.Select(v => $"{v.StageName}:{v.Outcome}").Should().Equal("script:accepted", "trajectory:continue", "trajectory:accepted");
    }

    [Fact]
    public void A_record_of_another_tool_needs_only_id_script_and_trajectory()
    {
        var line = new JsonObject
        {
            ["id"] = "other-1",
            ["script"] = "Here is the script:\n```json\n" + SampleFiles.Script + "\n```",
            ["trajectory"] = "```json\n" + SampleFiles.Trajectory + "\n```\nThat was the game.",
        }.ToJsonString();

        var record = Read(line, "other.jsonl:1");

        record.Status.Should().Be(SynthesisStatus.Accepted, "a record that names no status is accepted");
        record.Persona.Should().BeNull();
        record.Provenance.Should().BeNull();
        record.Usage.Should().Be(TokenUsage.Zero);
        record.Verdicts.Should().BeEmpty();
        record.ScriptRead.Script!.Goal.Should().Be("Scan the 1923 harbor photograph and save it to the archive drive as harbor_1923.tif.");
        record.TrajectoryRead.Turns.Should().HaveCount(23);
        record.TrajectoryRead.IsComplete.Should().BeTrue();

        var outcome = new RefinementTuningConverter(new VerifierFactory()).Convert(record);
        outcome.SkipReason.Should().BeNull(outcome.Message);
        outcome.Conversation!.TrainedTurns.Should().Be(8);
    }

    [Fact]
    public void Turns_in_an_object_and_a_null_script_are_read()
    {
        var record = Read("""{"id":"x","status":"REJECTED","script":null,"trajectory":{"turns":""" + SmallGame + "}}");

        record.Status.Should().Be(SynthesisStatus.Rejected, "status names are read case-insensitively");
        record.Script.Should().BeNull();
        record.ScriptRead.Error.Should().Be("the record has no script");
        record.Trajectory!.Count.Should().Be(3);
    }

    [Fact]
    public void A_record_made_in_memory_reads_its_typed_content_as_read_results()
    {
        var script = Script.Parse(SmallScript);
        var record = new SynthesisRecord { Id = "m", Script = script, Trajectory = Trajectory.Parse(SmallGame) };

        record.ScriptRead.Script.Should().BeSameAs(script);
        record.TrajectoryRead.Turns.Select(t => t.GetRawText()).Should().Equal(Trajectory.Parse(SmallGame).Select(t => t.ToJson()));
        record.ToJsonLine().Should().Be("""{"id":"m","status":"accepted","script":""" + SmallScript + ""","trajectory":""" + SmallGame + ""","usage":{"inputTokens":0,"outputTokens":0},"verdicts":[]}""");
    }

    [Theory]
    [InlineData("""{"script":null,"trajectory":null}""", "r.jsonl:3: 'id' is missing or not a string")]
    [InlineData("""{"id":"x","trajectory":null}""", "r.jsonl:3: record x: 'script' is missing (it may be null)")]
    [InlineData("""{"id":"x","script":null}""", "r.jsonl:3: record x: 'trajectory' is missing (it may be null)")]
    [InlineData("""{"id":"x","status":"done","script":null,"trajectory":null}""", "r.jsonl:3: record x: 'status' must be \"accepted\", \"rejected\" or \"unfinished\", found \"done\"")]
    [InlineData("""{"id":"x","status":1,"script":null,"trajectory":null}""", "r.jsonl:3: record x: 'status' must be \"accepted\", \"rejected\" or \"unfinished\", found a number")]
    [InlineData("""{"id":"x","script":null,"trajectory":null,"provenance":{"verifier":{"minErrorRefineTurns":-1}}}""", "r.jsonl:3: record x: 'provenance.verifier.minErrorRefineTurns' must be a whole number, 0 or more")]
    [InlineData("""{"id":"x","script":null,"trajectory":null,"provenance":{"verifier":{"regexTimeoutMs":0}}}""", "r.jsonl:3: record x: 'provenance.verifier.regexTimeoutMs' must be a number of milliseconds above 0")]
    [InlineData("""{"id":"x","script":null,"trajectory":null,"provenance":{"verifier":{"regexEngine":"pcre"}}}""", "r.jsonl:3: record x: 'provenance.verifier.regexEngine' must be \"backtracking\" or \"non-backtracking\"")]
    [InlineData("""{"id":"x","script":null,"trajectory":null,"provenance":{"verifier":{"maxVerificationCodeLength":0}}}""", "r.jsonl:3: record x: 'provenance.verifier.maxVerificationCodeLength' must be a whole number, 1 or more")]
    [InlineData("""{"id":"x","script":null,"trajectory":null,"provenance":{"verifier":true}}""", "r.jsonl:3: record x: 'provenance.verifier' is a boolean, not an object")]
    public void A_line_outside_the_contract_is_reported(string line, string error)
    {
        ReadError(line).Should().Be(error);
    }

    [Fact]
    public void Informational_fields_of_another_shape_are_ignored()
    {
        var record = Read("""{"id":"x","script":null,"trajectory":null,"persona":5,"provenance":{"models":"m","seed":"7","calls":2.5,"verifier":{"minErrorRefineTurns":1}},"usage":{"inputTokens":"9","outputTokens":3},"verdicts":[{"stage":"script"}]}""");

        record.Persona.Should().BeNull();
        record.Provenance!.Models.Should().BeEmpty();
        record.Provenance.Seed.Should().BeNull();
        record.Provenance.Calls.Should().Be(0);
        record.Provenance.Verifier!.MinErrorRefineTurns.Should().Be(1);
        record.Provenance.Verifier.RegexMatchTimeout.Should().Be(TimeSpan.FromMilliseconds(100), "settings a record does not name are the defaults");
        record.Usage.Should().Be(new TokenUsage(0, 3));
        record.Verdicts.Should().BeEmpty("verdicts are read only when every one is well-formed");
    }
}
