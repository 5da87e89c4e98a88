namespace AgentRefine.Cli.Tests;

public sealed class HelpTests
{
    [Theory]
    [InlineData("demo")]
    [InlineData("synthesize")]
    [InlineData("verify")]
    [InlineData("convert")]
    [InlineData("stats")]
    [InlineData("tokenize")]
    [InlineData("score")]
    [InlineData("score hotpotqa")]
    [InlineData("score judge")]
    [InlineData("score robustness")]
    public void Every_command_shows_an_example_of_itself(string command)
    {
        var (exit, stdout, _) = Cli.Run([.. command.Split(' '), "--help"]);

        exit.Should().Be(0);
        stdout.Should().Contain("Example").And.Contain($"  agentrefine {command} ");
    }

    [Fact]
    public void The_rejected_default_in_help_is_the_file_name_synthesize_uses()
    {
        Cli.Run("synthesize", "--help").Out.Should().Contain("records.jsonl → records.rejected.jsonl");
    }

    [Fact]
    public void Synthesize_notes_a_missing_api_key_instead_of_sending_a_placeholder_silently()
    {
        var folder = Directory.CreateTempSubdirectory("agentrefine-help-").FullName;
        try
        {
            var personas = Path.Combine(folder, "p.txt");
            File.WriteAllText(personas, "A baker\n");
            var (_, stdout, _) = Cli.Run("synthesize", "--personas", personas, "--output", Path.Combine(folder, "r.jsonl"), "--endpoint", "http://127.0.0.1:9/v1", "--model", "m", "--api-key-env", "AGENTREFINE_TEST_UNSET_KEY");

            stdout.Should().StartWith("Note: AGENTREFINE_TEST_UNSET_KEY is not set, so http://127.0.0.1:9/v1 is called without an API key");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
