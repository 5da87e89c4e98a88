using AgentRefine.Json;
using AgentRefine.Synthesis;
using AgentRefine.Verification;

namespace AgentRefine.Conversion;

/// <summary>
/// Computes <see cref="RecordStatistics"/> over a records file, streaming. Accepted records are
/// verified again, each under the settings it was accepted under (as <see cref="RefinementTuningConverter"/> does).
/// A file or a stream is read on every core by default (the verifier is called from several threads at once:
/// the built-in ones are thread-safe); the statistics are those of a one-record-at-a-time pass.
/// </summary>
public static class RecordStatisticsCalculator
{
    /// <summary>How many unreadable lines keep their message in <see cref="RecordStatistics.UnreadableExamples"/>: 5.</summary>
    public const int UnreadableExamplesKept = 5;

    /// <summary>Computes the statistics, verifying every accepted record with one verifier whatever its provenance says.</summary>
    /// <param name="path">The records file.</param>
    /// <param name="verifier">The verifier.</param>
    /// <param name="limits">Read limits; defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the computation.</param>
    /// <returns>The statistics.</returns>
    public static Task<RecordStatistics> ComputeAsync(string path, IVerifier verifier, JsonReadLimits? limits = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        return ComputeAsync(path, new SingleVerifierFactory(verifier), null, limits, cancellationToken);
    }

    /// <summary>Computes the statistics, verifying each accepted record under its own settings, on every core (see <see cref="ComputeAsync(Stream, string, IVerifierFactory, int?, JsonReadLimits?, int?, IProgress{RecordReadProgress}?, CancellationToken)"/>).</summary>
    /// <param name="path">The records file.</param>
    /// <param name="verifiers">Makes the verifier for each record's settings: its provenance's, else the factory's defaults.</param>
    /// <param name="minErrorRefineTurns">The fewest error-refine turns every record must have, whatever its provenance says; <see langword="null"/> for each record's own.</param>
    /// <param name="limits">Read limits; defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the computation.</param>
    /// <returns>The statistics.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minErrorRefineTurns"/> is negative.</exception>
    public static Task<RecordStatistics> ComputeAsync(string path, IVerifierFactory verifiers, int? minErrorRefineTurns = null, JsonReadLimits? limits = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return ComputeFileAsync(path, verifiers, minErrorRefineTurns, limits, cancellationToken);
    }

    /// <summary>
    /// Computes the statistics of the records of a stream (from its current position to its end; it is not
    /// disposed), verifying each accepted record under its own settings. Workers parse and verify the records
    /// while one reader splits the lines and the sums are made in input order: the statistics are those of a
    /// one-record-at-a-time pass.
    /// </summary>
    /// <param name="input">The records (JSON Lines).</param>
    /// <param name="sourceName">The name used in <c>file:line</c> messages.</param>
    /// <param name="verifiers">Makes the verifier for each record's settings: its provenance's, else the factory's defaults. Called from several threads at once unless <paramref name="maxDegreeOfParallelism"/> is 1 (the built-in verifiers are thread-safe).</param>
    /// <param name="minErrorRefineTurns">The fewest error-refine turns every record must have, whatever its provenance says; <see langword="null"/> for each record's own.</param>
    /// <param name="limits">Read limits; defaults when <see langword="null"/>.</param>
    /// <param name="maxDegreeOfParallelism">How many records are parsed and verified at once; <see cref="Environment.ProcessorCount"/> when <see langword="null"/>; 1 for one after another on the caller's flow.</param>
    /// <param name="progress">Told after each line is counted, in input order (called synchronously: keep it cheap); none when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the computation.</param>
    /// <returns>The statistics.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minErrorRefineTurns"/> is negative, or <paramref name="maxDegreeOfParallelism"/> is below 1.</exception>
    public static Task<RecordStatistics> ComputeAsync(Stream input, string sourceName, IVerifierFactory verifiers, int? minErrorRefineTurns = null, JsonReadLimits? limits = null, int? maxDegreeOfParallelism = null, IProgress<RecordReadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceName);
        ArgumentNullException.ThrowIfNull(verifiers);
        if (minErrorRefineTurns is { } minimum)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(minimum, nameof(minErrorRefineTurns));
        }

        if (maxDegreeOfParallelism is { } degree)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(degree, 1, nameof(maxDegreeOfParallelism));
        }

        return ComputeStreamAsync(input, sourceName, verifiers, minErrorRefineTurns, limits, progress, new OrderedLinePipelineSettings { DegreeOfParallelism = maxDegreeOfParallelism ?? Environment.ProcessorCount }, cancellationToken);
    }

    /// <summary>Computes the statistics of records from any source, one after another, verifying each accepted record under its own settings.</summary>
    /// <param name="entries">The records as read (for example <see cref="SynthesisRecordReader.ReadAsync(Stream, string, JsonReadLimits?, CancellationToken)"/>).</param>
    /// <param name="verifiers">Makes the verifier for each record's settings: its provenance's, else the factory's defaults.</param>
    /// <param name="minErrorRefineTurns">The fewest error-refine turns every record must have, whatever its provenance says; <see langword="null"/> for each record's own.</param>
    /// <param name="cancellationToken">Cancels the computation.</param>
    /// <returns>The statistics.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minErrorRefineTurns"/> is negative.</exception>
    public static async Task<RecordStatistics> ComputeAsync(IAsyncEnumerable<SynthesisRecordReadResult> entries, IVerifierFactory verifiers, int? minErrorRefineTurns = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(verifiers);
        if (minErrorRefineTurns is { } minimum)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(minimum, nameof(minErrorRefineTurns));
        }

        var statistics = new RecordStatisticsBuilder();
        await foreach (var entry in entries.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            statistics.Add(RecordStatisticsBuilder.Examine(entry, verifiers, minErrorRefineTurns, cancellationToken));
        }

        return statistics.Build();
    }

    /// <summary>The stream overload's work, with the batching settings open to tests.</summary>
    internal static async Task<RecordStatistics> ComputeStreamAsync(Stream input, string sourceName, IVerifierFactory verifiers, int? minErrorRefineTurns, JsonReadLimits? limits, IProgress<RecordReadProgress>? progress, OrderedLinePipelineSettings settings, CancellationToken cancellationToken)
    {
        limits ??= JsonReadLimits.Shared;
        var work = new RecordStatisticsWork(sourceName, limits, verifiers, minErrorRefineTurns, progress);
        await OrderedLinePipeline.RunAsync(input, work, settings with { MaxLineBytes = SynthesisRecordReader.MaxLineBytes(limits) }, cancellationToken).ConfigureAwait(false);
        return work.Statistics.Build();
    }

    private static async Task<RecordStatistics> ComputeFileAsync(string path, IVerifierFactory verifiers, int? minErrorRefineTurns, JsonReadLimits? limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(verifiers);
        if (minErrorRefineTurns is { } minimum)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(minimum, nameof(minErrorRefineTurns));
        }

        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            return await ComputeStreamAsync(stream, Path.GetFileName(path), verifiers, minErrorRefineTurns, limits, null, new OrderedLinePipelineSettings(), cancellationToken).ConfigureAwait(false);
        }
    }
}
