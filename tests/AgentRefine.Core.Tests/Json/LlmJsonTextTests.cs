using AgentRefine.Json;
namespace AgentRefine.Core.Tests.Json;

public class LlmJsonTextTests
{
    [Fact]
    public void Fenced_json_region_is_the_fence_body()
    {
        var text = "Sure!\n```json\n{\"a\": 1}\n```\nBye";
        var (offset, length) = LlmJsonText.FindJsonRegion(text);
        text.Substring(offset, length).Should().Be("{\"a\": 1}\n");
    }

    [Fact]
    public void Fence_without_json_is_skipped_for_the_next_one()
    {
        var text = "```bash\nls -la\n```\nthen\n```\n[1]\n```";
        var (offset, length) = LlmJsonText.FindJsonRegion(text);
        text.Substring(offset, length).Should().Be("[1]\n");
    }

    [Fact]
    public void Unclosed_fence_of_a_truncated_reply_runs_to_the_end()
    {
        var text = "```json\n[{\"turn\": 0";
        var (offset, length) = LlmJsonText.FindJsonRegion(text);
        text.Substring(offset, length).Should().Be("[{\"turn\": 0");
    }

    [Fact]
    public void No_fence_means_the_whole_text()
    {
        LlmJsonText.FindJsonRegion("plain {x}").Should().Be((0, 9));
    }

    [Theory]
    [InlineData("a { b [ c {\"x\": 1}", 10)]
    [InlineData("I will play [both roles] now: [ {\"turn\": 0}]", 30)]
    [InlineData("{ \"a\": 1}", 0)]
    [InlineData("[]", 0)]
    [InlineData("[\n  {", 0)]
    [InlineData("{name} and [see below]", -1)]
    [InlineData("x { // the script\n \"Goal\": 1}", 2)]
    [InlineData("[ /* turns */ {}]", 0)]
    [InlineData("no json here", -1)]
    public void The_first_plausible_opener_is_the_start(string text, int expected)
    {
        LlmJsonText.FindJsonStart(text, "{[").Should().Be(expected);
    }

    [Fact]
    public void Openers_restrict_the_start()
    {
        LlmJsonText.FindJsonStart("[] then {\"a\": 1}", "{").Should().Be(8);
    }
}
