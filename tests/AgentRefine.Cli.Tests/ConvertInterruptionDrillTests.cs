using System.Diagnostics;
using System.Globalization;

namespace AgentRefine.Cli.Tests;

/// <summary>
/// Reliability drills for <c>convert</c> with the real tool: a Ctrl+C (SIGINT) and a <c>kill -9</c> in the
/// middle of a large conversion leave the previous dataset exactly as it was, never a partial one a
/// trainer would use; the same-path case is refused before the input is touched.
/// </summary>
public sealed class ConvertInterruptionDrillTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("agentrefine-convert-drill-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Tool => Path.Combine(AppContext.BaseDirectory.Replace(Path.Combine("tests", "AgentRefine.Cli.Tests"), Path.Combine("src", "AgentRefine.Cli"), StringComparison.Ordinal), "agentrefine.dll");

    private async Task<string> LargeRecordsAsync()
    {
        var records = Path.Combine(_folder, "records.jsonl");
        var samples = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "samples", "records.jsonl"));
        await using (var stream = File.Create(records))
        {
            for (var i = 0; i < 12_000; i++)
            {
                await stream.WriteAsync(samples); // 48,000 records, about 240 MB: several seconds of converting
            }
        }

        return records;
    }

    private static Process Start(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Tool);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start)!;
    }

    [Theory]
    [InlineData("INT")]
    [InlineData("KILL")]
    public async Task An_interrupted_conversion_leaves_the_previous_dataset_as_it_was(string signal)
    {
        OperatingSystem.IsLinux().Should().BeTrue("the drill sends real signals with kill(1); CI runs on Linux");
        var records = await LargeRecordsAsync();
        var dataset = Path.Combine(_folder, "train.jsonl");
        await File.WriteAllTextAsync(dataset, "previous dataset\n");

        using var process = Start("convert", "--input", records, "--output", dataset, "--format", "ms-swift");
        var stdout = process.StandardOutput.ReadToEndAsync();

        // The first plain progress line (after 2 s) shows the conversion is under way.
        var firstLine = await process.StandardError.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        firstLine.Should().StartWith("agentrefine convert: records.jsonl: ");
        using (var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        var rest = await process.StandardError.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        (await File.ReadAllTextAsync(dataset)).Should().Be("previous dataset\n", "a partial dataset never reaches the final path");
        (await stdout).Should().BeEmpty();
        if (signal == "INT")
        {
            process.ExitCode.Should().Be(130, rest);
            rest.TrimEnd('\n').Split('\n')[^1].Should().Be($"agentrefine convert: interrupted; nothing written; '{dataset}' left as it was.");
            rest.Should().NotContain("Exception");
            Directory.GetFiles(_folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).Should().Equal("records.jsonl", "train.jsonl");
        }
        else
        {
            process.ExitCode.Should().Be(137, "SIGKILL: no clean-up runs");

            // Only a hidden temporary file may remain beside the target; the next run replaces it.
            Directory.GetFiles(_folder).Select(Path.GetFileName).Where(n => n is not "records.jsonl" and not "train.jsonl")
                .Should().OnlyContain(n => n!.StartsWith(".train.jsonl.", StringComparison.Ordinal) && n.EndsWith(".tmp", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Converting_a_records_file_onto_itself_is_refused_and_the_records_survive()
    {
        var records = Path.Combine(_folder, "records.jsonl");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "samples", "records.jsonl"), records);
        var before = await File.ReadAllBytesAsync(records);
        var link = Path.Combine(_folder, "link.jsonl");
        File.CreateSymbolicLink(link, records);

        using var process = Start("convert", "--input", records, "--output", link, "--format", "openai");
        var error = await process.StandardError.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

        process.ExitCode.Should().Be(2, error);
        error.Should().Contain("--output is the same file as --input");
        (await File.ReadAllBytesAsync(records)).Should().Equal(before);
    }
}
