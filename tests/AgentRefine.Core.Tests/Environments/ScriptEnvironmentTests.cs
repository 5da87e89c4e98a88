using AgentRefine.Agents;
using AgentRefine.Core.Tests.Fakes;
using AgentRefine.Environments;
using AgentRefine.Llm;
using AgentRefine.Scoring;
using AgentRefine.Scripts;
using AgentRefine.Verification;
using Microsoft.Extensions.AI;

namespace AgentRefine.Core.Tests.Environments;

public sealed class ScriptEnvironmentTests
{
    private static readonly Script Script = AgentRefine.Scripts.Script.Parse(SampleFiles.Script);

    private static string Dm(string observation, bool parameter = false, bool place = false, bool logic = false, bool completed = false, params int[] met) =>
        $$"""{"Thought": "t", "Observation": "{{observation}}", "parameter_error": {{Lower(parameter)}}, "place_error": {{Lower(place)}}, "logic_error": {{Lower(logic)}}, "task_completed": {{Lower(completed)}}, "conditions_met": [{{string.Join(", ", met)}}]}""";

    private static string Lower(bool value) => value ? "true" : "false";

    private static string Act(string action) => $"Thought: next.\nAction: {action}";

    private static AgentRunner Agent(params string[] actions)
    {
        var replies = new Queue<string>(actions.Select(Act));
        return new AgentRunner(new FuncChatClient((_, _) => replies.Dequeue()), new AgentRunnerOptions { Run = "m" });
    }

    [Fact]
    public async Task A_game_played_to_completion_scores_success_progress_and_grounding()
    {
        var dm = new ScriptedChatClient(
            Dm("You stand at the front desk. Cotton gloves lie by the visitor log."),
            Dm("There is no kitchen here.", parameter: true),
            Dm("You pick up the cotton gloves."),
            Dm("You put on the cotton gloves.", met: [1]),
            Dm("You walk to the archive room."),
            Dm("You take the harbor photograph.", met: [1]),
            Dm("The scanner is in the scanning room.", place: true, met: [1]),
            Dm("You walk to the scanning room.", met: [1]),
            Dm("The scan is saved as harbor_1923.tif.", completed: true, met: [1, 2]));
        var environment = new ScriptEnvironment([Script], dm);
        var agent = Agent("go to kitchen", "take cotton gloves from front desk", "put on cotton gloves", "go to archive room", "take harbor photograph from archive room", "scan harbor photograph as harbor_1923.tif", "go to scanning room", "scan harbor photograph as harbor_1923.tif");

        var episode = (await agent.RunAsync(environment, 0)).Episode!;

        episode.Task.Should().Be("script");
        episode.Goal.Should().Be(Script.Goal);
        episode.EndReason.Should().Be(EpisodeEndReasons.Done);
        episode.Success.Should().BeTrue();
        episode.Steps.Select(s => (s.Action, s.Valid, s.Done, s.Progress)).Should().Equal(
            ("go to kitchen", false, false, 0.0),
            ("take cotton gloves from front desk", true, false, 0.0),
            ("put on cotton gloves", true, false, 0.5),
            ("go to archive room", true, false, 0.5),
            ("take harbor photograph from archive room", true, false, 0.5),
            ("scan harbor photograph as harbor_1923.tif", false, false, 0.5),
            ("go to scanning room", true, false, 0.5),
            ("scan harbor photograph as harbor_1923.tif", true, true, 1.0));
        episode.Steps[0].Observation.Should().Be("There is no kitchen here.");
        var score = new AgentBoardScorer().Score(episode);
        score.Should().BeEquivalentTo(new { Success = true, Progress = 1.0, Grounding = 6.0 / 8, IsEnvironmentProgress = true });
    }

    [Fact]
    public async Task The_DM_sees_the_hidden_script_the_game_so_far_and_the_local_verdict()
    {
        var dm = new ScriptedChatClient(Dm("You stand at the front desk."), Dm("No kitchen.", parameter: true), Dm("You walk to the archive room."));
        var compiled = new RuleBasedVerifier().Compile(Script)!;

        await Agent("go to kitchen", "go to archive room").RunAsync(new ScriptEnvironment([Script], dm), 0);

        var requests = dm.Requests.ToArray();
        requests.Should().HaveCount(3);
        requests[0].Messages[0].Text.Should().Be(ScriptEnvironment.SystemPrompt);
        requests[0].Messages[1].Text.Should().Be("Script:\n" + Script.ToJson(indented: true) + "\n\nStart the game: write the opening DM turn (turn 0), the player's first observation, which sets the scene for the Goal. Set no error flag; \"task_completed\" is false; \"conditions_met\" lists the conditions that already hold.");
        requests[1].Messages[1].Text.Should().Be("Script:\n" + Script.ToJson(indented: true) + "\n\nThe game so far:\n"
            + "[\n  {\n    \"turn\": 0,\n    \"role\": \"DM\",\n    \"Thought\": \"t\",\n    \"Observation\": \"You stand at the front desk.\",\n    \"parameter_error\": false,\n    \"place_error\": false,\n    \"logic_error\": false,\n    \"task_completed\": false\n  }\n]\n\n"
            + "The player's action (turn 1): \"go to kitchen\"\n"
            + $"Parameter check (from the script's verification codes; final): the action is not valid: {compiled.Match("go to kitchen").Message}. \"parameter_error\" must be true.\n"
            + "Write DM turn 2.");
        requests[2].Messages[1].Text.Should().EndWith("The player's action (turn 3): \"go to archive room\"\n"
            + "Parameter check (from the script's verification codes; final): the action is the available action \"go to {place}\" with place = \"archive room\", with listed values. \"parameter_error\" must be false.\n"
            + "Write DM turn 4.");
        requests[2].Options!.AdditionalProperties![LlmResponseProperties.Role].Should().Be("dm");
        requests[2].Options!.Temperature.Should().Be(0);
        requests[2].Options!.ResponseFormat.Should().Be(ChatResponseFormat.Json);
    }

    [Fact]
    public async Task A_DM_that_contradicts_the_local_verdict_is_asked_again_with_the_reason()
    {
        var dm = new ScriptedChatClient(Dm("Front desk."), Dm("You walk to the kitchen."), Dm("There is no kitchen.", parameter: true));
        var episode = (await new AgentRunner(new FuncChatClient((_, _) => Act("go to kitchen")), new AgentRunnerOptions { MaxSteps = 1 }).RunAsync(new ScriptEnvironment([Script], dm), 0)).Episode!;

        episode.Steps[0].Should().BeEquivalentTo(new { Action = "go to kitchen", Observation = "There is no kitchen.", Valid = false });
        var retry = dm.Requests.ToArray()[2].Messages;
        retry.Select(m => m.Role).Should().Equal(ChatRole.System, ChatRole.User, ChatRole.Assistant, ChatRole.User);
        retry[2].Text.Should().Be(Dm("You walk to the kitchen."));
        retry[3].Text.Should().Be("That reply cannot be used: \"parameter_error\" must be true: the parameter check is final. Answer again with one JSON object with exactly the keys Thought, Observation, parameter_error, place_error, logic_error, task_completed, conditions_met.");
        dm.Requests.ToArray()[2].Options!.AdditionalProperties![LlmResponseProperties.Attempt].Should().Be(2);
    }

    [Theory]
    [InlineData("the scan is done", "the reply holds no JSON object")]
    [InlineData("{\"Thought\": \"t\", \"Observation\": \"o\"}", "\"parameter_error\" is missing or not true/false")]
    [InlineData("{\"Thought\": \"t\", \"Observation\": \" \", \"parameter_error\": false, \"place_error\": false, \"logic_error\": false, \"task_completed\": false, \"conditions_met\": []}", "\"Observation\" is empty")]
    [InlineData("{\"Thought\": \"t\", \"Observation\": \"o\", \"parameter_error\": false, \"place_error\": false, \"logic_error\": false, \"task_completed\": false, \"conditions_met\": [3]}", "\"conditions_met\" must list condition numbers from 1 to 2, found 3")]
    [InlineData("{\"Thought\": \"t\", \"Observation\": \"o\", \"parameter_error\": false, \"place_error\": false, \"logic_error\": false, \"task_completed\": true, \"conditions_met\": [1]}", "\"task_completed\" is true but \"conditions_met\" lists 1 of the 2 conditions")]
    [InlineData("{\"Thought\": \"t\", \"Observation\": \"o\", \"parameter_error\": false, \"place_error\": true, \"logic_error\": false, \"task_completed\": true, \"conditions_met\": [1, 2]}", "\"task_completed\" cannot be true on a turn with an error")]
    public async Task A_DM_without_a_valid_reply_within_the_budget_ends_the_episode_as_errored(string badReply, string problem)
    {
        var dm = new ScriptedChatClient(Dm("Front desk."), badReply, badReply, badReply);

        var episode = (await Agent("look").RunAsync(new ScriptEnvironment([Script], dm), 0)).Episode!;

        episode.Steps.Should().BeEmpty();
        episode.EndReason.Should().Be(EpisodeEndReasons.EnvironmentFailed);
        episode.Error.Should().Be($"step 0: the environment failed: the Dungeon Master gave no valid reply in 3 attempts (the last: {problem}).");
        dm.Requests.Should().HaveCount(4);
    }

    [Fact]
    public async Task Progress_is_the_running_maximum_of_the_conditions_met()
    {
        var dm = new ScriptedChatClient(Dm("Desk."), Dm("a", met: [1]), Dm("b"), Dm("c", met: [2]), Dm("d", met: [1, 2], completed: true));

        var episode = (await Agent("look", "look", "look", "look").RunAsync(new ScriptEnvironment([Script], dm), 0)).Episode!;

        episode.Steps.Select(s => s.Progress).Should().Equal(0.5, 0.5, 0.5, 1.0);
        episode.Success.Should().BeTrue();
    }

    [Fact]
    public async Task An_opening_turn_with_a_flag_is_asked_again_and_a_DM_that_never_opens_means_the_episode_cannot_run()
    {
        var flagged = Dm("Desk.", logic: true);
        var dm = new ScriptedChatClient(flagged, flagged, flagged);

        var result = await Agent("look").RunAsync(new ScriptEnvironment([Script], dm), 0);

        result.Failure.Should().Be("the environment could not start task 0: the Dungeon Master gave no valid reply in 3 attempts (the last: the opening turn sets no error flag and \"task_completed\" false).");
    }

    [Fact]
    public async Task A_script_that_fails_the_checks_cannot_start()
    {
        var broken = new Script("g", ["c"], [new ScriptAction("go to {place}", "^go to (.+)$", [new ScriptParameter("place", ["a"])]), new ScriptAction("look", "(")]);

        var result = await Agent("look").RunAsync(new ScriptEnvironment([broken], new ScriptedChatClient()), 0);

        result.Failure.Should().StartWith("the environment could not start task 0: script 0 does not pass the script checks, so its actions cannot be judged: [regex-invalid] ");
        (await Agent("look").RunAsync(new ScriptEnvironment([broken], new ScriptedChatClient()), 5)).Failure.Should().Be("the environment could not start task 5: there is no script 5 (the environment holds 1).");
    }

    [Fact]
    public async Task A_DM_model_that_refuses_the_key_stops_the_run()
    {
        var dm = new ScriptedChatClient(new LlmTransportException("The model server answered 401.", 401));

        var result = await Agent("look").RunAsync(new ScriptEnvironment([Script], dm), 0);

        result.StopsRun.Should().BeTrue();
        result.Failure.Should().Be("the environment could not start task 0: the Dungeon Master's model call failed: HTTP 401: The model server answered 401.");
    }

    [Fact]
    public async Task Scripts_are_read_from_records_a_script_file_or_an_array()
    {
        var folder = Directory.CreateTempSubdirectory("agentrefine-scripts-").FullName;
        try
        {
            var records = Path.Combine(AppContext.BaseDirectory, "samples", "records.jsonl");
            // The third record was rejected before it had a script.
            (await ScriptEnvironment.ReadScriptsAsync(records)).Select(s => s.Goal).Should().HaveCount(3).And.OnlyContain(g => !string.IsNullOrEmpty(g));
            (await ScriptEnvironment.ReadScriptsAsync(records, limit: 2)).Should().HaveCount(2);

            var single = Path.Combine(folder, "script.json");
            await File.WriteAllTextAsync(single, SampleFiles.Script);
            (await ScriptEnvironment.ReadScriptsAsync(single)).Single().Goal.Should().Be(Script.Goal);

            var array = Path.Combine(folder, "scripts.json");
            await File.WriteAllTextAsync(array, $"[{SampleFiles.Script}, {SampleFiles.Script}]");
            (await ScriptEnvironment.ReadScriptsAsync(array)).Should().HaveCount(2);

            var bad = Path.Combine(folder, "bad.jsonl");
            await File.WriteAllTextAsync(bad, "{\"id\": \"x\", \"script\": {}, \"trajectory\": []}\nnot json\n");
            var read = () => ScriptEnvironment.ReadScriptsAsync(bad);
            (await read.Should().ThrowAsync<InvalidDataException>()).Which.Message.Should().StartWith("bad.jsonl:2: ");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
