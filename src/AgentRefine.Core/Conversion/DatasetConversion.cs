using AgentRefine.Json;
using AgentRefine.Synthesis;

namespace AgentRefine.Conversion;

/// <summary>Converts a records file into a dataset, streaming, with statistics.</summary>
public static class DatasetConversion
{
    private const int MaxSkippedListed = 1_000;

    /// <summary>
    /// Reads the records of <paramref name="inputPath"/>, converts each with <paramref name="converter"/>
    /// and writes the conversations with <paramref name="writer"/>, then completes the writer.
    /// </summary>
    /// <param name="inputPath">The records file (JSON Lines).</param>
    /// <param name="converter">The converter.</param>
    /// <param name="writer">The dataset writer.</param>
    /// <param name="skipUnreadableLines">Count and skip lines that are not records; otherwise stop at the first one.</param>
    /// <param name="limits">Read limits; defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the conversion.</param>
    /// <returns>The statistics.</returns>
    /// <exception cref="InvalidDataException">A line is not a record and <paramref name="skipUnreadableLines"/> is off; the message names <c>file:line</c>.</exception>
    /// <exception cref="ConversionStoppedException">A record cannot be converted while <see cref="ConversionOptions.StopOnFirstSkip"/> is set.</exception>
    public static Task<ConversionStatistics> RunAsync(string inputPath, RefinementTuningConverter converter, ITrainingDatasetWriter writer, bool skipUnreadableLines = false, JsonReadLimits? limits = null, CancellationToken cancellationToken = default) =>
        RunAsync(SynthesisRecordReader.ReadAsync(inputPath, limits, cancellationToken), converter, writer, skipUnreadableLines, cancellationToken);

    /// <summary>
    /// Converts records from any source (for example <see cref="SynthesisRecordReader.ReadAsync(Stream, string, JsonReadLimits?, CancellationToken)"/>
    /// over a stream whose position the caller reports as progress) and writes the conversations with
    /// <paramref name="writer"/>, then completes the writer. Nothing is completed when it fails or is cancelled,
    /// so a file writer leaves its target as it was.
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

        await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        return statistics.Build(writer);
    }
}
