using AgentRefine.Json;
using AgentRefine.Synthesis;

namespace AgentRefine.Conversion;

/// <summary>
/// Converts a records file into a dataset, streaming, with statistics. Reading a file or a stream, it parses,
/// verifies again, converts and serializes the records on <see cref="ConversionOptions.MaxDegreeOfParallelism"/>
/// workers (all cores by default) while one reader splits the lines and one writer writes the rows in input
/// order: the dataset's bytes, the statistics and the errors are those of a one-record-at-a-time pass.
/// </summary>
public static class DatasetConversion
{
    /// <summary>The skipped records listed in <see cref="ConversionStatistics.Skipped"/>.</summary>
    internal const int MaxSkippedListed = 1_000;

    /// <summary>
    /// Reads the records of <paramref name="inputPath"/>, converts each with <paramref name="converter"/>
    /// and writes the conversations with <paramref name="writer"/>, then completes the writer. Nothing is
    /// completed when it fails or is cancelled, so a file writer leaves its target as it was.
    /// </summary>
    /// <param name="inputPath">The records file (JSON Lines).</param>
    /// <param name="converter">The converter (its <see cref="ConversionOptions.MaxDegreeOfParallelism"/> says how many records are worked on at once).</param>
    /// <param name="writer">The dataset writer.</param>
    /// <param name="skipUnreadableLines">Count and skip lines that are not records; otherwise stop at the first one.</param>
    /// <param name="limits">Read limits; defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the conversion.</param>
    /// <returns>The statistics.</returns>
    /// <exception cref="InvalidDataException">A line is not a record and <paramref name="skipUnreadableLines"/> is off; the message names <c>file:line</c>.</exception>
    /// <exception cref="ConversionStoppedException">A record cannot be converted while <see cref="ConversionOptions.StopOnFirstSkip"/> is set.</exception>
    public static Task<ConversionStatistics> RunAsync(string inputPath, RefinementTuningConverter converter, ITrainingDatasetWriter writer, bool skipUnreadableLines = false, JsonReadLimits? limits = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(inputPath);
        return RunFileAsync(inputPath, converter, writer, skipUnreadableLines, limits, cancellationToken);
    }

    /// <summary>
    /// Reads the records of <paramref name="input"/> (from its current position to its end; it is not disposed),
    /// converts each with <paramref name="converter"/> and writes the conversations with <paramref name="writer"/>,
    /// then completes the writer. Nothing is completed when it fails or is cancelled, so a file writer leaves its
    /// target as it was.
    /// </summary>
    /// <param name="input">The records (JSON Lines).</param>
    /// <param name="sourceName">The name used in <c>file:line</c> sources and messages.</param>
    /// <param name="converter">The converter (its <see cref="ConversionOptions.MaxDegreeOfParallelism"/> says how many records are worked on at once).</param>
    /// <param name="writer">The dataset writer.</param>
    /// <param name="skipUnreadableLines">Count and skip lines that are not records; otherwise stop at the first one.</param>
    /// <param name="limits">Read limits; defaults when <see langword="null"/>.</param>
    /// <param name="progress">Told after each line is handled, in input order, on the writing flow (called synchronously: keep it cheap); none when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the conversion.</param>
    /// <returns>The statistics.</returns>
    /// <exception cref="InvalidDataException">A line is not a record and <paramref name="skipUnreadableLines"/> is off; the message names <c>file:line</c>.</exception>
    /// <exception cref="ConversionStoppedException">A record cannot be converted while <see cref="ConversionOptions.StopOnFirstSkip"/> is set.</exception>
    public static Task<ConversionStatistics> RunAsync(Stream input, string sourceName, RefinementTuningConverter converter, ITrainingDatasetWriter writer, bool skipUnreadableLines = false, JsonReadLimits? limits = null, IProgress<RecordReadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceName);
        ArgumentNullException.ThrowIfNull(converter);
        ArgumentNullException.ThrowIfNull(writer);
        return RunStreamAsync(input, sourceName, converter, writer, skipUnreadableLines, limits, progress, null, cancellationToken);
    }

    /// <summary>
    /// Converts records from any source and writes the conversations with <paramref name="writer"/>, then
    /// completes the writer, one record after another (the source's records are already parsed: only a file or
    /// a stream is read on several cores). Nothing is completed when it fails or is cancelled, so a file writer
    /// leaves its target as it was.
    /// </summary>
    /// <param name="records">The records as read.</param>
    /// <param name="converter">The converter.</param>
    /// <param name="writer">The dataset writer.</param>
    /// <param name="skipUnreadableLines">Count and skip lines that are not records; otherwise stop at the first one.</param>
    /// <param name="cancellationToken">Cancels the conversion.</param>
    /// <returns>The statistics.</returns>
    /// <exception cref="InvalidDataException">A line is not a record and <paramref name="skipUnreadableLines"/> is off; the message names <c>file:line</c>.</exception>
    /// <exception cref="ConversionStoppedException">A record cannot be converted while <see cref="ConversionOptions.StopOnFirstSkip"/> is set.</exception>
    public static async Task<ConversionStatistics> RunAsync(IAsyncEnumerable<SynthesisRecordReadResult> records, RefinementTuningConverter converter, ITrainingDatasetWriter writer, bool skipUnreadableLines = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(converter);
        ArgumentNullException.ThrowIfNull(writer);
        var statistics = new ConversionStatisticsBuilder();
        await foreach (var entry in records.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            var outcome = entry.Record is { } record
                ? converter.Convert(record, cancellationToken)
                : new ConversionOutcome(entry.Source, null, ConversionOutcome.UnreadableLine, entry.Error);
            if (outcome.Conversation is { } conversation)
            {
                await writer.WriteAsync(conversation, cancellationToken).ConfigureAwait(false);
                statistics.Converted(conversation);
                continue;
            }

            Skip(outcome, converter, skipUnreadableLines, statistics);
        }

        await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        return statistics.Build(writer);
    }

    /// <summary>The stream overload's work, with the batching settings open to tests (the workers from the converter's options when <paramref name="settings"/> is <see langword="null"/>).</summary>
    internal static async Task<ConversionStatistics> RunStreamAsync(Stream input, string sourceName, RefinementTuningConverter converter, ITrainingDatasetWriter writer, bool skipUnreadableLines, JsonReadLimits? limits, IProgress<RecordReadProgress>? progress, OrderedLinePipelineSettings? settings, CancellationToken cancellationToken)
    {
        limits ??= JsonReadLimits.Shared;
        settings = (settings ?? new OrderedLinePipelineSettings { DegreeOfParallelism = converter.Options.DegreeOfParallelism })
            with { MaxLineBytes = SynthesisRecordReader.MaxLineBytes(limits) };

        // Rows are serialized by the workers when the writer's format allows it; otherwise written on the committing flow.
        var renderer = settings.DegreeOfParallelism > 1 && writer is JsonlDatasetWriter { RendersConcurrently: true } rendering ? rendering : null;
        var work = new ConversionWork(sourceName, limits, converter, writer, renderer, skipUnreadableLines, progress);
        await OrderedLinePipeline.RunAsync(input, work, settings, cancellationToken).ConfigureAwait(false);
        await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        return work.Statistics.Build(writer);
    }

    /// <summary>Counts a record that is not converted, or throws when the settings stop at it.</summary>
    /// <exception cref="InvalidDataException">The line is not a record and <paramref name="skipUnreadableLines"/> is off.</exception>
    /// <exception cref="ConversionStoppedException">The record cannot be converted while <see cref="ConversionOptions.StopOnFirstSkip"/> is set.</exception>
    internal static void Skip(ConversionOutcome outcome, RefinementTuningConverter converter, bool skipUnreadableLines, ConversionStatisticsBuilder statistics)
    {
        if (outcome.SkipReason == ConversionOutcome.UnreadableLine && !skipUnreadableLines)
        {
            throw new InvalidDataException(outcome.Message);
        }

        if (outcome.SkipReason != ConversionOutcome.UnreadableLine && converter.Options.StopOnFirstSkip)
        {
            throw new ConversionStoppedException(outcome);
        }

        statistics.Skip(outcome, MaxSkippedListed);
    }

    private static async Task<ConversionStatistics> RunFileAsync(string inputPath, RefinementTuningConverter converter, ITrainingDatasetWriter writer, bool skipUnreadableLines, JsonReadLimits? limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(converter);
        ArgumentNullException.ThrowIfNull(writer);
        var stream = new FileStream(inputPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            return await RunStreamAsync(stream, Path.GetFileName(inputPath), converter, writer, skipUnreadableLines, limits, null, null, cancellationToken).ConfigureAwait(false);
        }
    }
}
