using AgentRefine.Scripts;

namespace AgentRefine.Core.Tests.Scripts;

public class ActionTemplateTests
{
    [Theory]
    [InlineData("look", new string[0])]
    [InlineData("go to {place}", new[] { "place" })]
    [InlineData("take {item} from { place }", new[] { "item", "place" })]
    [InlineData("move {x} to {x}", new[] { "x", "x" })]
    [InlineData("odd {} and {{nested}} {a", new[] { "nested" })]
    public void Placeholders_are_listed_left_to_right(string template, string[] expected)
    {
        ActionTemplate.Placeholders(template).Should().Equal(expected);
    }

    [Fact]
    public void Instantiate_fills_every_occurrence_and_trims()
    {
        var values = new Dictionary<string, string> { ["item"] = "apple 1", ["place"] = "fridge {2}" };
        ActionTemplate.Instantiate(" take {item} from { place } ", n => values[n]).Should().Be("take apple 1 from fridge {2}");
    }

    [Fact]
    public void Instantiate_keeps_text_that_is_not_a_placeholder()
    {
        ActionTemplate.Instantiate("say {} {a", _ => "X").Should().Be("say {} {a");
    }
}
