using System.Diagnostics;

namespace AgentRefine.Cli.Tests;

/// <summary>A real Ctrl+C (SIGINT) to the real tool while it reads a large episodes file.</summary>
public sealed class ScoreInterruptionDrillTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("agentrefine-score-sigint-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Sigint_while_reading_prints_one_line_exits_130_and_leaves_the_report_as_it_was()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // sends the signal with kill(1)
        }

        var episodes = Path.Combine(_folder, "episodes.jsonl");
        var samples = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "samples", "episodes.jsonl"));
        await using (var stream = File.Create(episodes))
        {
            for (var i = 0; i < 30_000; i++)
            {
                await stream.WriteAsync(samples); // 300,000 episodes, about 150 MB: several seconds of reading
            }
        }

        var report = Path.Combine(_folder, "report.json");
        await File.WriteAllTextAsync(report, "previous");
        var tool = Path.Combine(AppContext.BaseDirectory.Replace(Path.Combine("tests", "AgentRefine.Cli.Tests"), Path.Combine("src", "AgentRefine.Cli"), StringComparison.Ordinal), "agentrefine.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { tool, "score", "--episodes", episodes, "--format", "json", "--output", report })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();

        // The first plain progress line (after 2 s) shows the read is under way.
        var firstLine = await process.StandardError.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        firstLine.Should().StartWith("agentrefine score: episodes.jsonl: ");
        using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        var rest = await process.StandardError.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

        process.ExitCode.Should().Be(130, rest);
        rest.TrimEnd('\n').Split('\n')[^1].Should().Be($"agentrefine score: interrupted; nothing written; '{report}' left as it was.");
        rest.Should().NotContain("Exception");
        (await stdout).Should().BeEmpty();
        (await File.ReadAllTextAsync(report)).Should().Be("previous");
        Directory.GetFiles(_folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).Should().Equal("episodes.jsonl", "report.json");
    }
}
