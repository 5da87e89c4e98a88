using System.Text;
using AgentRefine.Conversion;
using AgentRefine.Personas;
using AgentRefine.Scoring;
using AgentRefine.Scripts;
using AgentRefine.Synthesis;
using AgentRefine.Trajectories;
using AgentRefine.Verification;

namespace AgentRefine.Core.Tests;

/// <summary>
/// The hostile-input drill: a fuzz corpus (truncations, wrong types, deep nesting, huge strings,
/// invalid UTF-8, catastrophic regexes) through every reader and the verifier. Each case ends with a
/// verdict or a documented error naming file and line, never a crash, and within a time bound.
/// </summary>
public sealed class HostileInputTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private readonly string _folder = Directory.CreateTempSubdirectory("agentrefine-hostile-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>The corpus: byte sequences, deterministic.</summary>
    public static IEnumerable<byte[]> Corpus()
    {
        var script = Encoding.UTF8.GetBytes(SampleFiles.Script);
        var trajectory = Encoding.UTF8.GetBytes(SampleFiles.Trajectory);
        var record = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "samples", "records.jsonl"));
        var episodes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "samples", "episodes.jsonl"));
        var random = new Random(7);
        foreach (var source in new[] { script, trajectory, record, episodes })
        {
            for (var cut = 1; cut < source.Length; cut += Math.Max(1, source.Length / 25))
            {
                yield return source[..cut];
            }

            for (var i = 0; i < 20; i++)
            {
                var mutated = (byte[])source.Clone();
                for (var k = 0; k < 5; k++)
                {
                    mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
                }

                yield return mutated;
            }
        }

        yield return Encoding.UTF8.GetBytes(new string('[', 100_000));
        yield return Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", 50_000)));
        yield return Encoding.UTF8.GetBytes("{\"Goal\": \"" + new string('x', 3_000_000) + "\"}");
        yield return [0xEF, 0xBB, 0xBF, 0xFF, 0xFE, 0xC3, 0x28, (byte)'{', 0xA0, 0xA1, (byte)'}', 0x00, (byte)'\n'];
        yield return Encoding.UTF8.GetBytes(SampleFiles.Script.Replace("\"Goal\"", "\"Goal\": 5, \"x\"", StringComparison.Ordinal).Replace("[\"front desk\"", "[{\"a\": []}", StringComparison.Ordinal));
        yield return Encoding.UTF8.GetBytes("""{"Goal": "g", "Completion Conditions": ["c"], "Available Actions": {"say {w}": {"verification code": "^((a+)+)+$|^((?:a|aa)+)+!$", "parameters": {"w": ["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"]}}}}""");
        yield return Encoding.UTF8.GetBytes("[" + string.Join(",", Enumerable.Repeat("""{"turn": 0, "role": "DM", "Thought": "t", "Observation": "o", "parameter_error": false, "place_error": false, "logic_error": false, "task_completed": false}""", 2_000)) + "]");
        yield return Encoding.UTF8.GetBytes("""{"run": 5, "task": ["alfworld"], "id": {}, "subgoals": "x", "steps": [null, 3, {"action": 1}]}""" + "\n");
    }

    private static async Task Within<T>(Func<T> work)
    {
        await Task.Run(work).WaitAsync(Bound);
    }

    [Fact]
    public async Task Text_readers_and_the_verifier_always_give_a_verdict()
    {
        var verifier = new RuleBasedVerifier();
        var cases = 0;
        foreach (var bytes in Corpus())
        {
            var text = Encoding.UTF8.GetString(bytes);
            await Within(() => ScriptReader.Read(text));
            await Within(() => TrajectoryReader.Read(text));
            var verdict = await Task.Run(() => verifier.Verify(text, text)).WaitAsync(Bound);
            (verdict.IsAccepted || verdict.Issues.Count > 0).Should().BeTrue();
            var withSample = await Task.Run(() => verifier.Verify(SampleFiles.Script, text)).WaitAsync(Bound);
            (withSample.IsAccepted || withSample.Issues.Count > 0).Should().BeTrue();
            cases++;
        }

        cases.Should().BeGreaterThan(150);
    }

    [Fact]
    public async Task File_readers_report_bad_lines_with_file_and_line()
    {
        var index = 0;
        foreach (var bytes in Corpus())
        {
            var path = Path.Combine(_folder, $"case{index++}.jsonl");
            await File.WriteAllBytesAsync(path, bytes);

            // Records: every line becomes an entry (a record or an error naming file:line); nothing is thrown.
            var entries = await Task.Run(async () => await SynthesisRecordReader.ReadAsync(path).ToListAsync()).WaitAsync(Bound);
            entries.Where(e => e.Record is null).Should().OnlyContain(e => e.Error!.StartsWith(Path.GetFileName(path) + ":", StringComparison.Ordinal));

            // Conversion over the same file: skips with reasons, or an InvalidDataException naming file:line.
            await ExpectOnlyDocumentedErrors(async () =>
            {
                await using var writer = TrainingDatasetWriters.Create("openai", Path.Combine(_folder, "out.jsonl"));
                await DatasetConversion.RunAsync(path, new RefinementTuningConverter(new RuleBasedVerifier()), writer, skipUnreadableLines: true);
            }, path);

            await ExpectOnlyDocumentedErrors(async () => await EpisodeReader.ReadAsync(path).ToListAsync(), path);
            await ExpectOnlyDocumentedErrors(async () => await AgentBoardLogReader.ReadLogAsync(path, "m"), path);
            await ExpectOnlyDocumentedErrors(async () => await new PersonaFileSource(new PersonaSourceOptions { Path = path }).ReadAsync().ToListAsync(), path);
            await ExpectOnlyDocumentedErrors(async () => await RecordStatisticsCalculator.ComputeAsync(path, new RuleBasedVerifier()), path);
        }
    }

    [Fact]
    public async Task Episodes_with_hostile_subgoals_are_scored_without_hanging()
    {
        var episode = new Episode("m", "alfworld", 1, null, "g", ["^((a+)+)+$", "(", "[z-a]", "(?<=a+)b"], [new EpisodeStep("x", new string('a', 5_000) + "!", true, false)]);
        var score = await Task.Run(() => new AgentBoardScorer().Score(episode)).WaitAsync(Bound);
        score.Progress.Should().Be(0);
        score.Diagnostics.Should().NotBeEmpty();
    }

    private static async Task ExpectOnlyDocumentedErrors(Func<Task> work, string path)
    {
        try
        {
            await work().WaitAsync(Bound);
        }
        catch (InvalidDataException exception)
        {
            exception.Message.Should().StartWith(Path.GetFileName(path) + ":", "a file error names the file and the line or object");
        }
    }
}
