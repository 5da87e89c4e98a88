using System.Text;
using AgentRefine.Json;

namespace AgentRefine.Core.Tests.Json;

public sealed class OrderedLinePipelineTests
{
    /// <summary>Lines <c>line 1</c> … <c>line N</c>, with blank lines between some of them.</summary>
    private static MemoryStream Lines(int count)
    {
        var text = new StringBuilder();
        for (var i = 1; i <= count; i++)
        {
            text.Append("line ").Append(i).Append(i % 7 == 0 ? "\n\n" : "\n");
        }

        return new MemoryStream(Encoding.UTF8.GetBytes(text.ToString()));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(4, 1)]
    [InlineData(4, 200)]
    [InlineData(3, 1_000_000)]
    public async Task Batches_are_committed_in_stream_order_whatever_order_they_finish_in(int degree, int batchBytes)
    {
        var work = new SlowWork();
        var settings = new OrderedLinePipelineSettings { DegreeOfParallelism = degree, ReadBufferSize = 64, BatchBytes = batchBytes, BatchesInFlight = 5 };

        await OrderedLinePipeline.RunAsync(Lines(500), work, settings, CancellationToken.None);

        work.Committed.Should().Equal(Enumerable.Range(1, 500).Select(i => $"line {i}"));
        work.MostInFlight.Should().BeLessThanOrEqualTo(5, "no more batches exist than the slots");
        if (degree > 1 && batchBytes == 1)
        {
            work.MostProcessedAtOnce.Should().BeGreaterThan(1, "the workers process batches at the same time");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task A_processing_failure_is_thrown_as_it_was_after_the_lines_before_it_are_committed(int degree)
    {
        var failure = new InvalidOperationException("line 250 is bad");
        var work = new SlowWork { FailAt = "line 250", Failure = failure };
        var settings = new OrderedLinePipelineSettings { DegreeOfParallelism = degree, ReadBufferSize = 64, BatchBytes = 100 };

        var act = () => OrderedLinePipeline.RunAsync(Lines(500), work, settings, CancellationToken.None);

        (await act.Should().ThrowAsync<InvalidOperationException>()).Which.Should().BeSameAs(failure);
        work.Committed.Should().Equal(Enumerable.Range(1, 249).Select(i => $"line {i}"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task A_commit_failure_stops_the_reader_and_the_workers_before_it_comes_out(int degree)
    {
        var work = new SlowWork { CommitFailsAt = "line 100" };
        var settings = new OrderedLinePipelineSettings { DegreeOfParallelism = degree, ReadBufferSize = 64, BatchBytes = 100, BatchesInFlight = 4 };

        var act = () => OrderedLinePipeline.RunAsync(Lines(100_000), work, settings, CancellationToken.None);

        await act.Should().ThrowAsync<InvalidDataException>().WithMessage("cannot commit line 100");
        var processed = work.Processed;
        await Task.Delay(100);
        work.Processed.Should().Be(processed, "nothing is processed once the run has returned");
        processed.Should().BeLessThan(200, "at most the batches in flight were processed ahead");
    }

    [Fact]
    public async Task Line_numbers_offsets_and_the_torn_last_line_are_those_of_the_stream()
    {
        var bytes = "\uFEFFone\r\n\n  \ntwo\nthree"u8.ToArray();
        var work = new SlowWork();

        await OrderedLinePipeline.RunAsync(new MemoryStream(bytes), work, new OrderedLinePipelineSettings { DegreeOfParallelism = 2, ReadBufferSize = 3, BatchBytes = 1, MaxLineBytes = 4 }, CancellationToken.None);

        work.Committed.Should().Equal("one", "two", "");
        work.Details.Should().Equal("1 end 8 terminated len 3", "4 end 16 terminated len 3", "5 end 21 torn len 5");
    }

    /// <summary>Echoes each line, after a pause that varies by batch (so later batches often finish first); counts what is in flight.</summary>
    private sealed class SlowWork : LineBatchWork<List<(string Text, string Detail)>>
    {
        private static readonly object Gate = new();
        private int _inFlight;
        private int _processing;
        private int _processed;

        public List<string> Committed { get; } = [];

        public List<string> Details { get; } = [];

        public int MostInFlight { get; private set; }

        public int MostProcessedAtOnce { get; private set; }

        public int Processed => Volatile.Read(ref _processed);

        public string? FailAt { get; init; }

        public Exception? Failure { get; init; }

        public string? CommitFailsAt { get; init; }

        public override List<(string Text, string Detail)> CreateResults() => [];

        public override void Reset(List<(string Text, string Detail)> results) => results.Clear();

        public override void Process(LineBatch batch, List<(string Text, string Detail)> results, CancellationToken cancellationToken)
        {
            Track(ref _inFlight, () => MostInFlight = Math.Max(MostInFlight, Volatile.Read(ref _inFlight)));
            Track(ref _processing, () => MostProcessedAtOnce = Math.Max(MostProcessedAtOnce, Volatile.Read(ref _processing)));
            try
            {
                Thread.Sleep((int)(batch.Sequence * 7 % 3));
                for (var i = 0; i < batch.Count; i++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var text = Encoding.UTF8.GetString(batch.Bytes(i).Span);
                    if (text == FailAt)
                    {
                        throw Failure!;
                    }

                    Interlocked.Increment(ref _processed);
                    results.Add((text, $"{batch.Number(i)} end {batch.EndOffset(i)} {(batch.IsTerminated(i) ? "terminated" : "torn")} len {batch.Length(i)}"));
                }
            }
            finally
            {
                Interlocked.Decrement(ref _processing);
            }
        }

        public override ValueTask CommitAsync(LineBatch batch, List<(string Text, string Detail)> results, CancellationToken cancellationToken)
        {
            foreach (var (text, detail) in results)
            {
                if (text == CommitFailsAt)
                {
                    throw new InvalidDataException($"cannot commit {text}");
                }

                Committed.Add(text);
                Details.Add(detail);
            }

            Interlocked.Decrement(ref _inFlight);
            return ValueTask.CompletedTask;
        }

        private static void Track(ref int counter, Action update)
        {
            Interlocked.Increment(ref counter);
            lock (Gate)
            {
                update();
            }
        }
    }
}
