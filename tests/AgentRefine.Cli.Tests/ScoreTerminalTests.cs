using System.Text.RegularExpressions;
using Spectre.Console;

namespace AgentRefine.Cli.Tests;

/// <summary>What <c>score</c> shows while it reads and how it prints its table, on a terminal and in a log.</summary>
public sealed class ScoreTerminalTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("agentrefine-score-terminal-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Samples => Path.Combine(AppContext.BaseDirectory, "samples", "episodes.jsonl");

    private static IAnsiConsole Terminal(StringWriter writer)
    {
        var terminal = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.Yes, ColorSystem = ColorSystemSupport.Standard, Interactive = InteractionSupport.Yes, Out = new AnsiConsoleOutput(writer) });
        terminal.Profile.Width = 500;
        return terminal;
    }

    [Fact]
    public async Task A_terminal_shows_a_table_with_held_in_cells_underlined_not_raw_html()
    {
        using var screen = new StringWriter();
        var environment = new CliEnvironment { OutputTerminal = Terminal(screen) };

        var (exit, stdout, stderr) = await CliRun.RunAsync(environment, CancellationToken.None, "score", "--episodes", Samples, "--held-in", "alfworld");

        exit.Should().Be(0, stderr);
        stdout.Should().BeEmpty("the table went to the terminal");
        var shown = screen.ToString();
        shown.Should().NotContain("<ins>").And.NotContain("|---|");
        shown.Should().Contain("alfworld (held-in) Success").And.Contain("baseline-8b");
        shown.Should().Contain("\u001b[4m25.0\u001b[0m", "a held-in cell is underlined");
        shown.Should().Contain("Percent. Underlined cells: held-in tasks.");
    }

    [Fact]
    public async Task The_markdown_file_keeps_ins_even_when_standard_output_is_a_terminal()
    {
        using var screen = new StringWriter();
        var report = Path.Combine(_folder, "table.md");

        var (exit, stdout, _) = await CliRun.RunAsync(new CliEnvironment { OutputTerminal = Terminal(screen) }, CancellationToken.None, "score", "--episodes", Samples, "--held-in", "alfworld", "--output", report);

        exit.Should().Be(0);
        stdout.Should().StartWith("Scored 10 of 10 episodes");
        screen.ToString().Should().BeEmpty();
        File.ReadAllText(report).Should().Contain("| baseline-8b | <ins>0.0</ins> | <ins>25.0</ins> |");
    }

    [Fact]
    public async Task Without_a_terminal_a_long_read_writes_plain_progress_lines_on_standard_error()
    {
        // The clock moves one second each time it is read: once at the start, once per episode, once at the end.
        var environment = new CliEnvironment { Time = new CliRun.SteppingClock(TimeSpan.FromSeconds(1)), ProgressInterval = TimeSpan.FromSeconds(3) };

        var (exit, stdout, stderr) = await CliRun.RunAsync(environment, CancellationToken.None, "score", "--episodes", Samples, "--format", "csv");

        exit.Should().Be(0);
        stdout.Should().StartWith("run,task,episodes,");
        stderr.Should().Be("""
            agentrefine score: episodes.jsonl: 5.1 of 5.1 kB (100%), 3 episodes, 1 episodes/s, ETA 00:00:00
            agentrefine score: episodes.jsonl: 5.1 of 5.1 kB (100%), 6 episodes, 1 episodes/s, ETA 00:00:00
            agentrefine score: episodes.jsonl: 5.1 of 5.1 kB (100%), 9 episodes, 1 episodes/s, ETA 00:00:00
            agentrefine score: episodes.jsonl: 5.1 kB, 10 episodes in 00:00:11

            """);
    }

    [Fact]
    public async Task Plain_progress_counts_bytes_read_of_the_total()
    {
        var path = Path.Combine(_folder, "many.jsonl");
        var samples = File.ReadAllText(Samples);
        File.WriteAllText(path, string.Concat(Enumerable.Repeat(samples, 100)));
        var environment = new CliEnvironment { Time = new CliRun.SteppingClock(TimeSpan.FromMilliseconds(10)), ProgressInterval = TimeSpan.FromSeconds(1) };

        var (exit, _, stderr) = await CliRun.RunAsync(environment, CancellationToken.None, "score", "--episodes", path);

        exit.Should().Be(0);
        var lines = stderr.TrimEnd('\n').Split('\n');
        lines.Should().HaveCount(11);
        var shares = lines[..^1].Select(line =>
        {
            var match = Regex.Match(line, @"^agentrefine score: many\.jsonl: (\d+\.\d) of 505\.8 kB \((\d+)%\), ([\d,]+) episodes, ([\d,]+) episodes/s, ETA \d\d:\d\d:\d\d$");
            match.Success.Should().BeTrue(line);
            return int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        }).ToList();
        shares.Should().BeInAscendingOrder().And.Contain(s => s < 100);
        lines[0].Should().Contain(", 100 episodes, 100 episodes/s,");
        lines[^1].Should().Be("agentrefine score: many.jsonl: 505.8 kB, 1,000 episodes in 00:00:10");
    }

    [Fact]
    public async Task A_terminal_on_standard_error_gets_a_progress_bar_and_standard_output_stays_clean()
    {
        using var bar = new StringWriter();

        var (exit, stdout, stderr) = await CliRun.RunAsync(new CliEnvironment { ErrorTerminal = Terminal(bar) }, CancellationToken.None, "score", "--episodes", Samples, "--format", "csv");

        exit.Should().Be(0);
        stderr.Should().BeEmpty();
        stdout.Should().Be(Cli.Run("score", "--episodes", Samples, "--format", "csv").Out);
        bar.ToString().Should().Contain("episodes.jsonl: 10 episodes").And.Contain("100%");
    }
}
