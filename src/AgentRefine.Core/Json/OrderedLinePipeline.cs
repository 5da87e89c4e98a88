using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;

namespace AgentRefine.Json;

/// <summary>
/// Reads a JSON Lines stream on one thread, has workers process its lines batch by batch, and commits the
/// results on one thread in the stream's order, so that the outcome is the one a sequential pass gets.
/// </summary>
/// <remarks>
/// <para>
/// The reader splits the stream with <see cref="Utf8LineReader"/> and copies each non-blank line into the
/// current <see cref="LineBatch"/>; after each read, a batch holding <see cref="OrderedLinePipelineSettings.BatchBytes"/>
/// bytes (or <see cref="OrderedLinePipelineSettings.MaxBatchLines"/> lines) is numbered and queued for the
/// workers. A worker runs <see cref="LineBatchWork{TResults}.Process"/> over the whole batch and queues it as
/// done; the committer keeps done batches that are ahead of their turn and commits each as its turn comes. The
/// hand-off costs a few queue operations per batch (about 64 KiB of lines), none per line.
/// </para>
/// <para>
/// Memory is bounded: a fixed number of batch slots (<see cref="OrderedLinePipelineSettings.BatchesInFlight"/>)
/// circulates from the reader to the workers to the committer and back, and the reader waits for a free slot.
/// </para>
/// <para>
/// Failures come out as the sequential pass has them. An exception of <see cref="LineBatchWork{TResults}.Process"/>
/// is kept with its batch; the committer commits the results before it (the lines the worker finished), then
/// throws it as it was thrown. An exception of the stream is thrown after every line read before it has been
/// committed. When committing throws, or the caller cancels, the reader and the workers are stopped and
/// awaited before the exception leaves <see cref="RunAsync{TResults}"/>, so nothing works on after it.
/// </para>
/// </remarks>
internal static class OrderedLinePipeline
{
    /// <summary>Runs <paramref name="work"/> over the non-blank lines of <paramref name="stream"/>, from its current position (the stream is not disposed).</summary>
    /// <typeparam name="TResults">A batch's results.</typeparam>
    /// <param name="stream">The JSON Lines.</param>
    /// <param name="work">What is done with the lines.</param>
    /// <param name="settings">Batching and parallelism.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>A task that completes when the last batch is committed.</returns>
    public static Task RunAsync<TResults>(Stream stream, LineBatchWork<TResults> work, OrderedLinePipelineSettings settings, CancellationToken cancellationToken)
        where TResults : class
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.DegreeOfParallelism, 1, nameof(settings));
        return settings.DegreeOfParallelism == 1
            ? RunSequentialAsync(stream, work, settings, cancellationToken)
            : new Run<TResults>(stream, work, settings).RunAsync(cancellationToken);
    }

    /// <summary>
    /// Fills a batch; a read failure is returned (not thrown) with <c>more: false</c>, so that the lines
    /// read before it are handled first, as a line-by-line pass would have.
    /// </summary>
    private static async Task<(bool More, ExceptionDispatchInfo? Failure)> FillAsync<TResults>(BatchReader<TResults> reader, Slot<TResults> slot, CancellationToken cancellationToken)
        where TResults : class
    {
        try
        {
            return (await reader.FillAsync(slot, cancellationToken).ConfigureAwait(false), null);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return (false, ExceptionDispatchInfo.Capture(exception));
        }
    }

    /// <summary>One thread: read, then process and commit each batch as it fills.</summary>
    private static async Task RunSequentialAsync<TResults>(Stream stream, LineBatchWork<TResults> work, OrderedLinePipelineSettings settings, CancellationToken cancellationToken)
        where TResults : class
    {
        var slot = new Slot<TResults>(work.CreateResults());
        var reader = new BatchReader<TResults>(stream, settings);
        try
        {
            while (true)
            {
                var (more, failure) = await FillAsync(reader, slot, cancellationToken).ConfigureAwait(false);

                if (slot.Lines.Count > 0)
                {
                    ProcessSlot(work, slot, cancellationToken);
                    await CommitSlotAsync(work, slot, cancellationToken).ConfigureAwait(false);
                }

                failure?.Throw();
                if (!more)
                {
                    return;
                }
            }
        }
        finally
        {
            reader.Dispose();
        }
    }

    private static void ProcessSlot<TResults>(LineBatchWork<TResults> work, Slot<TResults> slot, CancellationToken cancellationToken)
        where TResults : class
    {
        try
        {
            work.Process(slot.Lines, slot.Results, cancellationToken);
        }
        catch (Exception exception)
        {
            slot.Failure = ExceptionDispatchInfo.Capture(exception);
        }
    }

    /// <summary>Commits a processed slot, throws its failure if it has one, and empties it for reuse.</summary>
    private static async ValueTask CommitSlotAsync<TResults>(LineBatchWork<TResults> work, Slot<TResults> slot, CancellationToken cancellationToken)
        where TResults : class
    {
        await work.CommitAsync(slot.Lines, slot.Results, cancellationToken).ConfigureAwait(false);
        slot.Failure?.Throw();
        work.Reset(slot.Results);
        slot.Lines.Clear();
    }

    /// <summary>A batch and its results, circulating between the reader, the workers and the committer.</summary>
    private sealed class Slot<TResults>(TResults? results)
        where TResults : class
    {
        public LineBatch Lines { get; } = new();

        public TResults Results { get; } = results!;

        /// <summary>What processing threw, or (for the end marker) what reading threw.</summary>
        public ExceptionDispatchInfo? Failure { get; set; }

        /// <summary>Whether this is the marker after the last batch.</summary>
        public bool IsEnd { get; init; }
    }

    /// <summary>Fills batches from the stream: the line splitter, the read buffer and the line filter.</summary>
    private sealed class BatchReader<TResults> : IDisposable
        where TResults : class
    {
        private readonly Stream _stream;
        private readonly OrderedLinePipelineSettings _settings;
        private readonly Utf8LineReader _splitter = new();
        private readonly byte[] _buffer;
        private readonly Utf8LineReader.LineHandler _collect;
        private LineBatch? _target;
        private bool _finished;

        public BatchReader(Stream stream, OrderedLinePipelineSettings settings)
        {
            _stream = stream;
            _settings = settings;
            _buffer = ArrayPool<byte>.Shared.Rent(settings.ReadBufferSize);
            _collect = Collect;
        }

        /// <summary>Reads into <paramref name="slot"/> until its batch is full or the stream ends.</summary>
        /// <returns>Whether the stream has more.</returns>
        public async ValueTask<bool> FillAsync(Slot<TResults> slot, CancellationToken cancellationToken)
        {
            if (_finished)
            {
                return false;
            }

            _target = slot.Lines;
            try
            {
                while (true)
                {
                    var read = await _stream.ReadAsync(_buffer.AsMemory(0, _settings.ReadBufferSize), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        _finished = true;
                        _splitter.Finish(_collect);
                        return false;
                    }

                    _splitter.Feed(_buffer.AsSpan(0, read), _collect);
                    if (slot.Lines.ByteCount >= _settings.BatchBytes || slot.Lines.Count >= _settings.MaxBatchLines)
                    {
                        return true;
                    }
                }
            }
            finally
            {
                _target = null;
            }
        }

        public void Dispose() => ArrayPool<byte>.Shared.Return(_buffer);

        private void Collect(ReadOnlySpan<byte> line, int number, long endOffset, bool terminated)
        {
            if (!line.Trim(" \t"u8).IsEmpty)
            {
                _target!.Add(line, number, endOffset, terminated, _settings.MaxLineBytes);
            }
        }
    }

    /// <summary>One parallel run: the reader task, the worker tasks, and the committer (the caller's flow).</summary>
    private sealed class Run<TResults>(Stream stream, LineBatchWork<TResults> work, OrderedLinePipelineSettings settings)
        where TResults : class
    {
        private readonly Channel<Slot<TResults>> _free = Channel.CreateUnbounded<Slot<TResults>>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        private readonly Channel<Slot<TResults>> _done = Channel.CreateUnbounded<Slot<TResults>>(new UnboundedChannelOptions { SingleReader = true });

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            var slots = settings.Slots;
            for (var i = 0; i < slots; i++)
            {
                _free.Writer.TryWrite(new Slot<TResults>(work.CreateResults()));
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var queued = new BlockingCollection<Slot<TResults>>(new ConcurrentQueue<Slot<TResults>>());
            var tasks = new Task[settings.DegreeOfParallelism + 1];
            tasks[0] = Task.Run(() => ReadAsync(queued, stop.Token), CancellationToken.None);
            for (var i = 1; i < tasks.Length; i++)
            {
                // Workers get threads of their own: on the thread pool they would hold its threads while batches are
                // queued, and the reader's reads and the committer's writes (pool work items) would wait behind them.
                tasks[i] = Task.Factory.StartNew(() => Work(queued, stop.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            }

            try
            {
                await CommitAllAsync(slots, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                // Done, failed or cancelled: stop the reader and the workers, and wait for them, so that nothing
                // works on (or holds the stream) once this returns.
                await stop.CancelAsync().ConfigureAwait(false);
                await Task.WhenAll(tasks).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        /// <summary>Commits batches in sequence order, holding those that are done ahead of their turn (at most the slots, plus the end marker).</summary>
        private async Task CommitAllAsync(int slots, CancellationToken cancellationToken)
        {
            var waiting = new Slot<TResults>?[slots + 1];
            long next = 0;
            while (true)
            {
                var slot = await _done.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                waiting[slot.Lines.Sequence % waiting.Length] = slot;
                while (waiting[next % waiting.Length] is { } ready && ready.Lines.Sequence == next)
                {
                    waiting[next % waiting.Length] = null;
                    next++;
                    if (ready.IsEnd)
                    {
                        ready.Failure?.Throw();
                        return;
                    }

                    cancellationToken.ThrowIfCancellationRequested();
                    await CommitSlotAsync(work, ready, cancellationToken).ConfigureAwait(false);
                    _free.Writer.TryWrite(ready);
                }
            }
        }

        /// <summary>The reader: fills free slots and queues them for the workers; ends with the end marker (carrying a read failure, if any).</summary>
        private async Task ReadAsync(BlockingCollection<Slot<TResults>> queued, CancellationToken cancellationToken)
        {
            var reader = new BatchReader<TResults>(stream, settings);
            long sequence = 0;
            ExceptionDispatchInfo? failure = null;
            try
            {
                var more = true;
                while (more)
                {
                    var slot = await _free.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                    (more, failure) = await FillAsync(reader, slot, cancellationToken).ConfigureAwait(false);
                    if (slot.Lines.Count > 0)
                    {
                        slot.Lines.Sequence = sequence++;
                        queued.Add(slot, CancellationToken.None);
                    }
                }
            }
            catch (Exception exception)
            {
                failure = ExceptionDispatchInfo.Capture(exception);
            }
            finally
            {
                reader.Dispose();
            }

            var end = new Slot<TResults>(null) { IsEnd = true, Failure = failure };
            end.Lines.Sequence = sequence;
            _done.Writer.TryWrite(end);
            queued.CompleteAdding();
        }

        /// <summary>A worker: processes queued batches until the reader is done or the run stops.</summary>
        private void Work(BlockingCollection<Slot<TResults>> queued, CancellationToken cancellationToken)
        {
            try
            {
                foreach (var slot in queued.GetConsumingEnumerable(cancellationToken))
                {
                    ProcessSlot(work, slot, cancellationToken);
                    _done.Writer.TryWrite(slot);
                }
            }
            catch (OperationCanceledException)
            {
                // The run stopped.
            }
        }
    }
}
