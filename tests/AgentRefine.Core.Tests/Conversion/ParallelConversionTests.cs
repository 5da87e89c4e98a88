using AgentRefine.Conversion;
using AgentRefine.Core.Tests.Tokenization;
using AgentRefine.Json;
using AgentRefine.Scripts;
using AgentRefine.Synthesis;
using AgentRefine.Tokenization;
using AgentRefine.Trajectories;
using AgentRefine.Verification;

namespace AgentRefine.Core.Tests.Conversion;

/// <summary>
/// The conversion read on several cores (<see cref="DatasetConversion.RunAsync(Stream, string, RefinementTuningConverter, ITrainingDatasetWriter, bool, JsonReadLimits?, IProgress{RecordReadProgress}?, CancellationToken)"/>)
/// against the one-record-at-a-time loop over <see cref="SynthesisRecordReader.ReadAsync(string, JsonReadLimits?, CancellationToken)"/>:
/// the same files byte for byte, the same statistics, the same errors, nothing committed on failure.
/// </summary>
public sealed class ParallelConversionTests : IDisposable
{
    private const int Blocks = 20;
    private readonly string _folder = Directory.CreateTempSubdirectory("agentrefine-parallel-").FullName;
    private int _runs;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Degree 1 inline, and several workers with batches of every size (down to one line each, with fewer slots than workers).</summary>
    private static OrderedLinePipelineSettings[] Pipelines { get; } =
    [
        new() { DegreeOfParallelism = 1 },
        new() { DegreeOfParallelism = 1, ReadBufferSize = 333, BatchBytes = 1_000 },
        new() { DegreeOfParallelism = 2 },
        new() { DegreeOfParallelism = 4, ReadBufferSize = 97, BatchBytes = 1, BatchesInFlight = 3 },
        new() { DegreeOfParallelism = 3, ReadBufferSize = 4_096, BatchBytes = 16_384, BatchesInFlight = 5 },
    ];

    public static TheoryData<string> Formats { get; } =
    [
        "agentgym", "agentgym jsonl", "ms-swift", "openai", "axolotl", "llamafactory", "llamafactory-v1",
        "ms-swift parquet", "openai parquet", "axolotl parquet", "llamafactory parquet", "llamafactory-v1 parquet",
        "openai eval", "llamafactory eval", "axolotl parquet eval", "agentgym eval",
        "tokens", "tokens parquet eval",
    ];

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Every_format_writes_the_same_bytes_and_statistics_on_every_core(string format)
    {
        var input = WriteInput(MixedRecordsFile.Build(Blocks));
        var expected = await SequentialAsync(input, format);

        expected.Exception.Should().BeNull();
        expected.Statistics!.RecordsIn.Should().Be(Blocks * MixedRecordsFile.LinesPerBlock + 1);
        expected.Statistics.Conversations.Should().Be(Blocks * MixedRecordsFile.ConvertedPerBlock);
        expected.Statistics.SkippedByReason.Should().Equal(new Dictionary<string, int>
        {
            ["rejected-record"] = Blocks,
            ["unreadable-line"] = Blocks * MixedRecordsFile.UnreadablePerBlock + 1,
            ["too-few-refinements"] = Blocks,
        });
        expected.Statistics.Skipped[^1].Message.Should().Be($"records.jsonl:{(Blocks * 12) + 1}: the last line is torn (no line break at the end of the file)");
        expected.Files.Should().NotBeEmpty();
        foreach (var settings in Pipelines)
        {
            ShouldMatch(await PipelineAsync(input, format, settings), expected, $"{format} with {settings}");
        }

        var overload = await RunAsync(input, format, (converter, writer) => DatasetConversion.RunAsync(input, converter, writer, skipUnreadableLines: true, MixedRecordsFile.Limits));
        ShouldMatch(overload, expected, "the path overload");
    }

    [Fact]
    public async Task A_format_derived_outside_the_library_is_written_in_order_on_one_flow()
    {
        var input = WriteInput(MixedRecordsFile.Build(Blocks));
        var expected = await SequentialAsync(input, "custom");
        System.Text.Encoding.UTF8.GetString(expected.Files.Values.Single()).Should().EndWith($"\"n\":{Blocks * MixedRecordsFile.ConvertedPerBlock}}}\n");

        foreach (var settings in Pipelines)
        {
            ShouldMatch(await PipelineAsync(input, "custom", settings), expected, $"custom with {settings}");
        }
    }

    [Fact]
    public async Task A_host_writer_gets_the_conversations_in_input_order_one_at_a_time()
    {
        var input = WriteInput(MixedRecordsFile.Build(Blocks));
        var sequential = new RecordingWriter();
        await DatasetConversion.RunAsync(SynthesisRecordReader.ReadAsync(input, MixedRecordsFile.Limits), Converter(), sequential, skipUnreadableLines: true);
        sequential.Ids.Should().HaveCount(Blocks * MixedRecordsFile.ConvertedPerBlock);

        foreach (var settings in Pipelines)
        {
            var writer = new RecordingWriter();
            await using var stream = File.OpenRead(input);
            await DatasetConversion.RunStreamAsync(stream, MixedRecordsFile.Name, Converter(), writer, true, MixedRecordsFile.Limits, null, settings, CancellationToken.None);
            writer.Ids.Should().Equal(sequential.Ids);
            writer.Overlapped.Should().BeFalse();
            writer.Completed.Should().BeTrue();
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(13)]
    public async Task The_first_unreadable_line_stops_it_with_the_sequential_message_and_nothing_is_written(int firstFullBlock)
    {
        var input = WriteInput(MixedRecordsFile.Build(Blocks, full: k => k >= firstFullBlock));
        var expected = await SequentialAsync(input, "openai", skip: false);

        expected.Exception.Should().BeOfType<InvalidDataException>();
        expected.Exception!.Message.Should().StartWith($"records.jsonl:{(firstFullBlock * 2) + 6}: invalid JSON");
        expected.Files.Should().BeEmpty();
        foreach (var settings in Pipelines)
        {
            ShouldMatch(await PipelineAsync(input, "openai", settings, skip: false), expected, $"{settings}");
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(13)]
    public async Task Strict_stops_at_the_first_skipped_record_as_the_sequential_run_does(int firstFullBlock)
    {
        var input = WriteInput(MixedRecordsFile.Build(Blocks, full: k => k >= firstFullBlock));
        var strict = new ConversionOptions { StopOnFirstSkip = true };
        var expected = await SequentialAsync(input, "llamafactory", options: strict);

        var stopped = expected.Exception.Should().BeOfType<ConversionStoppedException>().Subject;
        stopped.Outcome!.Id.Should().Be($"32055561932a5d5878a3eeb88383db6d-{firstFullBlock}");
        stopped.Outcome.SkipReason.Should().Be(ConversionOutcome.RejectedRecord);
        expected.Files.Should().BeEmpty();
        foreach (var settings in Pipelines)
        {
            var actual = await PipelineAsync(input, "llamafactory", settings, options: strict);
            ShouldMatch(actual, expected, $"{settings}");
            actual.Exception.Should().BeOfType<ConversionStoppedException>().Which.Outcome.Should().Be(stopped.Outcome);
        }
    }

    [Theory]
    [InlineData(true, typeof(InvalidOperationException))]
    [InlineData(false, typeof(InvalidDataException))]
    public async Task A_verifier_exception_comes_out_unwrapped_unless_an_earlier_line_stops_the_run_first(bool skip, Type expectedType)
    {
        // The record that makes the verifier throw is in block 15; the first unreadable line is in block 10.
        var input = WriteInput(MixedRecordsFile.Build(Blocks, full: k => k >= 10, edit: (k, line) => k == 15 ? line.Replace("\"Goal\":\"Scan", "\"Goal\":\"BOOM Scan", StringComparison.Ordinal) : line));
        var expected = await SequentialAsync(input, "ms-swift", skip, verifier: new ThrowingVerifier());

        expected.Exception.Should().BeOfType(expectedType);
        expected.Files.Should().BeEmpty();
        foreach (var settings in Pipelines)
        {
            var actual = await PipelineAsync(input, "ms-swift", settings, skip, verifier: new ThrowingVerifier());
            ShouldMatch(actual, expected, $"{settings}");
            if (skip)
            {
                actual.Exception!.StackTrace.Should().Contain(nameof(ThrowingVerifier.VerifyScript), "the exception is thrown again as it was, with its stack");
            }
        }
    }

    [Fact]
    public async Task Cancelling_mid_run_throws_commits_nothing_and_leaves_no_work_running()
    {
        const int blocks = 60;
        var input = WriteInput(MixedRecordsFile.Build(blocks, edit: (k, line) => k == 8 ? line.Replace("\"Goal\":\"Scan", "\"Goal\":\"CANCEL Scan", StringComparison.Ordinal) : line));
        foreach (var settings in Pipelines)
        {
            using var cancellation = new CancellationTokenSource();
            var verifier = new CancellingVerifier(cancellation);
            var folder = NewFolder();
            var writer = TrainingDatasetWriters.Create("openai", Path.Combine(folder, "out.jsonl"));
            Func<Task> act;
            await using (writer)
            {
                await using var stream = File.OpenRead(input);
                act = () => DatasetConversion.RunStreamAsync(stream, MixedRecordsFile.Name, new RefinementTuningConverter(verifier), writer, true, MixedRecordsFile.Limits, null, settings, cancellation.Token);
                await act.Should().ThrowAsync<OperationCanceledException>();
            }

            var calls = verifier.Calls;
            await Task.Delay(200);
            verifier.Calls.Should().Be(calls, "no worker goes on once the run has returned");
            calls.Should().BeLessThan(blocks * 4, "the run stopped well before the end of the file");
            Directory.GetFiles(folder).Should().BeEmpty();
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_read_failure_is_thrown_after_every_line_read_before_it(bool skip)
    {
        var bytes = MixedRecordsFile.Build(Blocks, full: k => k == 2);
        var input = WriteInput(bytes);
        var failAt = bytes.Length / 2;

        var expected = await RunAsync(input, "openai", async (converter, writer) =>
        {
            var entries = SynthesisRecordReader.ReadAsync(new FailingStream(bytes, failAt), MixedRecordsFile.Name, MixedRecordsFile.Limits);
            return await DatasetConversion.RunAsync(entries, converter, writer, skip);
        });
        expected.Exception.Should().BeOfType(skip ? typeof(IOException) : typeof(InvalidDataException));
        foreach (var settings in Pipelines)
        {
            var actual = await RunAsync(input, "openai", (converter, writer) =>
                DatasetConversion.RunStreamAsync(new FailingStream(bytes, failAt), MixedRecordsFile.Name, converter, writer, skip, MixedRecordsFile.Limits, null, settings, CancellationToken.None));
            ShouldMatch(actual, expected, $"{settings}");
        }
    }

    [Fact]
    public async Task Progress_counts_every_line_in_order_up_to_the_end_of_the_stream()
    {
        var bytes = MixedRecordsFile.Build(Blocks);
        var input = WriteInput(bytes);
        foreach (var settings in Pipelines)
        {
            var reports = new List<RecordReadProgress>();
            var progress = new SynchronousProgress(reports.Add);
            await RunAsync(input, "openai", async (converter, writer) =>
            {
                await using var stream = File.OpenRead(input);
                return await DatasetConversion.RunStreamAsync(stream, MixedRecordsFile.Name, converter, writer, true, MixedRecordsFile.Limits, progress, settings, CancellationToken.None);
            });

            reports.Select(r => r.Records).Should().Equal(Enumerable.Range(1, (Blocks * MixedRecordsFile.LinesPerBlock) + 1).Select(i => (long)i));
            reports.Select(r => r.BytesRead).Should().BeInAscendingOrder();
            reports[^1].BytesRead.Should().Be(bytes.Length);
        }
    }

    [Fact]
    public async Task Record_statistics_are_the_same_on_every_core()
    {
        var input = WriteInput(MixedRecordsFile.Build(Blocks));
        var verifiers = new VerifierFactory();
        var expected = await RecordStatisticsCalculator.ComputeAsync(SynthesisRecordReader.ReadAsync(input, MixedRecordsFile.Limits), verifiers);

        expected.Records.Should().Be(Blocks * 5);
        expected.UnreadableLines.Should().Be((Blocks * MixedRecordsFile.UnreadablePerBlock) + 1);
        expected.UnreadableExamples.Should().HaveCount(RecordStatisticsCalculator.UnreadableExamplesKept);
        expected.UnreadableExamples[0].Should().StartWith("records.jsonl:6: invalid JSON");
        expected.AcceptedFailingVerification.Should().Be(Blocks);
        expected.DuplicatePersonas.Should().Be((Blocks * 5) - 4);
        foreach (var settings in Pipelines)
        {
            await using var stream = File.OpenRead(input);
            var actual = await RecordStatisticsCalculator.ComputeStreamAsync(stream, MixedRecordsFile.Name, verifiers, null, MixedRecordsFile.Limits, null, settings, CancellationToken.None);
            actual.Should().BeEquivalentTo(expected, o => o.WithStrictOrdering());
        }

        await using (var stream = File.OpenRead(input))
        {
            (await RecordStatisticsCalculator.ComputeAsync(stream, MixedRecordsFile.Name, verifiers, limits: MixedRecordsFile.Limits, maxDegreeOfParallelism: 2)).Should().BeEquivalentTo(expected, o => o.WithStrictOrdering());
        }
    }

    [Fact]
    public void A_borrowed_parse_reads_every_line_as_Parse_does()
    {
        var raw = JsonNode(MixedRecordsFile.Samples[0]);
        raw["script"] = raw["script"]!.ToJsonString();
        raw["trajectory"] = raw["trajectory"]!.ToJsonString();
        string[] lines =
        [
            .. MixedRecordsFile.Samples,
            "   " + MixedRecordsFile.Samples[1],
            MixedRecordsFile.Samples[0] + " {\"id\": \"second\"}",
            raw.ToJsonString(),
            "123", "\"text\"", "null", "{", "{}", "\r", "[", "{\"id\":\"x\",\"script\":null,\"trajectory\":null}",
            "{\"id\":\"x\",\"status\":\"done\",\"script\":null,\"trajectory\":null}",
            "{\"id\":\"x\",\"script\":null,\"trajectory\":null,\"provenance\":{\"seed\":\"no\"}}",
            new string('[', 70) + new string(']', 70),
            "{\"id\":\"x\",\"script\":null,\"trajectory\":null} , trailing",
            "{\"id\":\"x\" \"script\":null}",
        ];
        var inputs = lines.Select(System.Text.Encoding.UTF8.GetBytes).Append([0xC3, 0x28]).ToList();
        foreach (var limits in new[] { JsonReadLimits.Default, new JsonReadLimits { MaxInputChars = 1_500, MaxDepth = 8 } })
        {
            foreach (var line in inputs)
            {
                var copied = SynthesisRecordReader.Parse(line, "f:1", limits);
                var borrowed = SynthesisRecordReader.ParseBorrowed(line, "f:1", limits, out var document);
                using (document)
                {
                    borrowed.Source.Should().Be(copied.Source);
                    borrowed.Error.Should().Be(copied.Error);
                    (borrowed.Record is null).Should().Be(copied.Record is null);
                    if (copied.Record is { } record)
                    {
                        borrowed.Record!.ToJsonLine().Should().Be(record.ToJsonLine());
                        document.Should().NotBeNull("the record borrows from it");
                    }
                }
            }
        }
    }

    private static System.Text.Json.Nodes.JsonObject JsonNode(string line) => System.Text.Json.Nodes.JsonNode.Parse(line)!.AsObject();

    private static RefinementTuningConverter Converter(ConversionOptions? options = null, IVerifier? verifier = null) =>
        verifier is null ? new RefinementTuningConverter(new VerifierFactory(), options) : new RefinementTuningConverter(verifier, options);

    private static ITrainingDatasetWriter CreateWriter(string format, string folder)
    {
        var parts = format.Split(' ');
        var name = parts[0];
        var options = new DatasetWriterOptions();
        var extension = name == "tokens" ? ".jsonl" : name == "custom" ? ".jsonl" : TrainingDatasetWriters.DefaultExtension(name);
        if (parts.Contains("parquet"))
        {
            extension = ".parquet";
        }

        if (parts.Contains("jsonl"))
        {
            options.Container = DatasetContainer.JsonLines;
            extension = ".jsonl";
        }

        if (parts.Contains("eval"))
        {
            options.EvalFraction = 0.3;
            options.Seed = 7;
        }

        var path = Path.Combine(folder, "train" + extension);
        return name switch
        {
            // 500 tokens: the 23-turn conversations are longer and skipped, the 13-turn ones are written.
            "tokens" => new TokensDatasetWriter(path, ChatTemplates.Create(ChatTemplates.Llama3, TokenizerFiles.Llama3), maxLength: 500, options),
            "custom" => new NumberedFormat(path),
            _ => TrainingDatasetWriters.Create(name, path, options),
        };
    }

    private string WriteInput(byte[] bytes)
    {
        var path = Path.Combine(NewFolder(), MixedRecordsFile.Name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private string NewFolder() => Directory.CreateDirectory(Path.Combine(_folder, $"run{Interlocked.Increment(ref _runs)}")).FullName;

    private Task<Run> SequentialAsync(string input, string format, bool skip = true, ConversionOptions? options = null, IVerifier? verifier = null) =>
        RunAsync(input, format, (converter, writer) => DatasetConversion.RunAsync(SynthesisRecordReader.ReadAsync(input, MixedRecordsFile.Limits), converter, writer, skip), options, verifier);

    private Task<Run> PipelineAsync(string input, string format, OrderedLinePipelineSettings settings, bool skip = true, ConversionOptions? options = null, IVerifier? verifier = null) =>
        RunAsync(input, format, async (converter, writer) =>
        {
            await using var stream = File.OpenRead(input);
            return await DatasetConversion.RunStreamAsync(stream, MixedRecordsFile.Name, converter, writer, skip, MixedRecordsFile.Limits, null, settings, CancellationToken.None);
        }, options, verifier);

    /// <summary>Runs a conversion into a fresh folder and takes what it left there (every file, by name), its statistics or its failure, and the writer's own counts.</summary>
    private async Task<Run> RunAsync(string input, string format, Func<RefinementTuningConverter, ITrainingDatasetWriter, Task<ConversionStatistics>> convert, ConversionOptions? options = null, IVerifier? verifier = null)
    {
        var folder = NewFolder();
        ConversionStatistics? statistics = null;
        Exception? failure = null;
        var writer = CreateWriter(format, folder);
        string? counts = null;
        await using (writer)
        {
            try
            {
                statistics = await convert(Converter(options, verifier), writer);
            }
            catch (Exception exception)
            {
                failure = exception;
            }

            counts = writer is TokensDatasetWriter tokens ? $"{tokens.Tokens} {tokens.TrainedTokens} {tokens.RowsOverMaxLength}" : null;
        }

        if (writer is TokensDatasetWriter && failure is null)
        {
            counts.Should().NotStartWith("0 ").And.NotEndWith(" 0");
        }

        // The files' contents, with the run's folder (named in side files) made neutral.
        var files = Directory.GetFiles(folder).ToDictionary(f => Path.GetFileName(f), f => Neutral(File.ReadAllBytes(f), folder), StringComparer.Ordinal);
        return new Run(statistics, failure, files, counts);
    }

    /// <summary>Asserts that two runs left the same files byte for byte, the same statistics, the same writer counts, and failed (or not) with the same exception type and message.</summary>
    private static void ShouldMatch(Run actual, Run expected, string because)
    {
        actual.Exception?.GetType().Should().Be(expected.Exception?.GetType(), because);
        (actual.Exception is null).Should().Be(expected.Exception is null, because);
        actual.Exception?.Message.Should().Be(expected.Exception!.Message, because);
        actual.Statistics.Should().BeEquivalentTo(expected.Statistics, o => o.WithStrictOrdering(), because);
        actual.WriterCounts.Should().Be(expected.WriterCounts, because);
        actual.Files.Keys.Should().BeEquivalentTo(expected.Files.Keys, because);
        foreach (var (name, bytes) in expected.Files)
        {
            var other = actual.Files[name];
            var length = Math.Min(bytes.Length, other.Length);
            var first = bytes.AsSpan(0, length).CommonPrefixLength(other.AsSpan(0, length));
            (first == length && bytes.Length == other.Length).Should().BeTrue($"{name} ({bytes.Length:N0} bytes) differs from byte {first:N0} ({because})");
        }
    }

    /// <summary>The bytes with every occurrence of the run's folder (named in side files) replaced by <c>{folder}</c>.</summary>
    private static byte[] Neutral(byte[] bytes, string folder)
    {
        var text = System.Text.Encoding.UTF8.GetString(bytes);
        return text.Contains(folder, StringComparison.Ordinal) ? System.Text.Encoding.UTF8.GetBytes(text.Replace(folder, "{folder}", StringComparison.Ordinal)) : bytes;
    }

    private sealed record Run(ConversionStatistics? Statistics, Exception? Exception, Dictionary<string, byte[]> Files, string? WriterCounts);

    /// <summary>A format from outside the library whose rows carry a running number: written on one flow, in order, or the numbers differ.</summary>
    private sealed class NumberedFormat(string path) : JsonlDatasetWriter(path)
    {
        private int _number;

        public override string FormatName => "custom";

        protected override void WriteRows(TrainingConversation conversation) => WriteRow(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("id", conversation.Id);
            writer.WriteNumber("n", ++_number);
            writer.WriteEndObject();
        });
    }

    /// <summary>A host's own writer: records the ids and whether two writes ever overlapped.</summary>
    private sealed class RecordingWriter : ITrainingDatasetWriter
    {
        private int _inside;

        public List<string> Ids { get; } = [];

        public bool Overlapped { get; private set; }

        public bool Completed { get; private set; }

        public string FormatName => "recording";

        public long RowsWritten => Ids.Count;

        public long BytesWritten => 0;

        public async ValueTask WriteAsync(TrainingConversation conversation, CancellationToken cancellationToken = default)
        {
            Overlapped |= Interlocked.Increment(ref _inside) > 1;
            await Task.Yield();
            Ids.Add(conversation.Id);
            Interlocked.Decrement(ref _inside);
        }

        public ValueTask CompleteAsync(CancellationToken cancellationToken = default)
        {
            Completed = true;
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>The built-in verifier, except that it throws for a script whose goal starts with BOOM.</summary>
    private sealed class ThrowingVerifier : IVerifier
    {
        private readonly RuleBasedVerifier _inner = new();

        public VerificationResult VerifyScript(ScriptReadResult script, CancellationToken cancellationToken = default) =>
            script.Script?.Goal?.StartsWith("BOOM", StringComparison.Ordinal) == true
                ? throw new InvalidOperationException("boom: the verifier failed")
                : _inner.VerifyScript(script, cancellationToken);

        public VerificationResult VerifyTrajectory(Script script, TrajectoryReadResult trajectory, CancellationToken cancellationToken = default) =>
            _inner.VerifyTrajectory(script, trajectory, cancellationToken);
    }

    /// <summary>The built-in verifier, cancelling the run when it meets a script whose goal starts with CANCEL, and counting its calls.</summary>
    private sealed class CancellingVerifier(CancellationTokenSource cancellation) : IVerifier
    {
        private readonly RuleBasedVerifier _inner = new();
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public VerificationResult VerifyScript(ScriptReadResult script, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            if (script.Script?.Goal?.StartsWith("CANCEL", StringComparison.Ordinal) == true)
            {
                cancellation.Cancel();
            }

            return _inner.VerifyScript(script, cancellationToken);
        }

        public VerificationResult VerifyTrajectory(Script script, TrajectoryReadResult trajectory, CancellationToken cancellationToken = default) =>
            _inner.VerifyTrajectory(script, trajectory, cancellationToken);
    }

    private sealed class SynchronousProgress(Action<RecordReadProgress> report) : IProgress<RecordReadProgress>
    {
        public void Report(RecordReadProgress value) => report(value);
    }

    /// <summary>Serves <c>bytes</c> in small reads, then throws an <see cref="IOException"/> once <c>failAt</c> bytes have been read.</summary>
    private sealed class FailingStream(byte[] bytes, int failAt) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_position >= failAt)
            {
                throw new IOException("the disk went away");
            }

            var count = Math.Min(Math.Min(buffer.Length, 1_000), failAt - _position);
            bytes.AsSpan(_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer, offset, count));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
