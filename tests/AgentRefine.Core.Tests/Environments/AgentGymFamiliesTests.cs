using System.Text.Json.Nodes;
using AgentRefine.Environments;

namespace AgentRefine.Core.Tests.Environments;

public sealed class AgentGymFamiliesTests
{
    [Theory]
    [InlineData("babyai", "Go To Red-Ball 1.", "Go To Red Ball 1")]
    [InlineData("textcraft", "craft 1 blue dye using 1 lapis_lazuli", "craft 1 blue dye using 1 lapis lazuli")]
    [InlineData("alfworld", "put mug 1 in coffeemachine 1.</s>", "put mug 1 in/on coffeemachine 1")]
    [InlineData("alfworld", "put mug 1 on desk 1", "put mug 1 in/on desk 1")]
    [InlineData("alfworld", "go to desk 1.", "go to desk 1")]
    [InlineData("sciworld", "focus on red wire</s>", "focus on red wire")]
    [InlineData("webshop", " click[Buy Now] ", "click[Buy Now]")]
    [InlineData("my-env", " anything. ", "anything.")]
    public void Actions_are_cleaned_the_way_each_family_expects(string family, string action, string expected) =>
        AgentGymFamilies.For(family).CleanAction(action).Should().Be(expected);

    [Fact]
    public void Reset_bodies_follow_each_server()
    {
        AgentGymFamilies.For("babyai").ResetBody(7).ToJsonString().Should().Be("{\"data_idx\":7}");
        AgentGymFamilies.For("alfworld").ResetBody(7).ToJsonString().Should().Be("{\"game\":7,\"world_type\":\"Text\"}");
        AgentGymFamilies.For("webshop").ResetBody(7).ToJsonString().Should().Be("{\"session_id\":7}");
        AgentGymFamilies.For("webshop").IdKey.Should().Be("env_idx");
    }

    [Fact]
    public void Progress_and_success_come_from_each_familys_field()
    {
        var sciworld = AgentGymFamilies.For("sciworld");
        var answer = JsonNode.Parse("{\"observation\":\"o\",\"reward\":5,\"score\":45,\"done\":false}")!.AsObject();
        sciworld.Progress(answer).Should().Be(0.45);
        sciworld.Success(answer, 0.45, false).Should().BeFalse();
        sciworld.Success(JsonNode.Parse("{\"score\":100}")!.AsObject(), 1, true).Should().BeTrue();

        var babyai = AgentGymFamilies.For("babyai");
        var step = JsonNode.Parse("{\"reward\":0.5,\"score\":1.5,\"done\":false}")!.AsObject();
        babyai.Progress(step).Should().Be(0.5);

        var common = AgentGymFamilies.For("my-env");
        common.Progress(step).Should().Be(1.5);
        common.Success(step, 1.0, true).Should().BeTrue();
        common.Success(step, 0.5, true).Should().BeFalse();
    }

    [Fact]
    public void Goals_are_found_in_the_first_observation()
    {
        AgentGymFamilies.For("alfworld").Goal([], "You are in the middle of a room.\nYour task is to: put a clean mug in coffeemachine.").Should().Be("put a clean mug in coffeemachine.");
        AgentGymFamilies.For("textcraft").Goal([], "Crafting commands:\ncraft 1 stick using 2 planks\n\nGoal: craft stick.").Should().Be("craft stick.");
        AgentGymFamilies.For("sciworld").Goal(JsonNode.Parse("{\"task_description\":\" Your task is to boil water. \"}")!.AsObject(), "o").Should().Be("Your task is to boil water.");
        AgentGymFamilies.For("webshop").Goal([], "WebShop [SEP] Instruction: [SEP] i need a red shirt [SEP] Search").Should().Be("i need a red shirt");
        AgentGymFamilies.For("my-env").Goal([], "\nFind the key.\nYou see a door.").Should().Be("Find the key.");
    }

    [Fact]
    public void ALFWorld_shows_the_admissible_commands_and_grounds_on_them()
    {
        var alfworld = AgentGymFamilies.For("alfworld");
        var answer = JsonNode.Parse("{\"observation\":\"You arrive at desk 1.\",\"available_actions\":[\"look\",\"take mug 1 from desk 1\"],\"reward\":0,\"done\":false}")!.AsObject();

        alfworld.StepObservation(answer, "You arrive at desk 1.").Should().Be("You arrive at desk 1.\nAVAILABLE ACTIONS: look,take mug 1 from desk 1");
        alfworld.AvailableActions(answer, string.Empty).Should().Equal("look", "take mug 1 from desk 1");
        alfworld.RejectsAction("Nothing happens.").Should().BeTrue();
    }
}
