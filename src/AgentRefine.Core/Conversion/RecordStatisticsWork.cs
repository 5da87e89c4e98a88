using AgentRefine.Json;
using AgentRefine.Synthesis;
using AgentRefine.Verification;

namespace AgentRefine.Conversion;

/// <summary>
/// The work of <see cref="RecordStatisticsCalculator"/> over a stream: workers parse each line into a record
/// that borrows its JSON from a pooled document and find its facts (verifying accepted records again); the
/// committer sums them in input order, so duplicates and examples are those of a sequential pass.
/// </summary>
internal sealed class RecordStatisticsWork(string sourceName, JsonReadLimits limits, IVerifierFactory verifiers, int? minErrorRefineTurns, IProgress<RecordReadProgress>? progress)
    : LineBatchWork<List<RecordFacts>>
{
    private long _handled;

    /// <summary>The sums of what was committed.</summary>
    public RecordStatisticsBuilder Statistics { get; } = new();

    public override List<RecordFacts> CreateResults() => [];

    public override void Reset(List<RecordFacts> results) => results.Clear();

    public override void Process(LineBatch batch, List<RecordFacts> results, CancellationToken cancellationToken)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var source = $"{sourceName}:{batch.Number(i)}";
            System.Text.Json.JsonDocument? document = null;
            var read = !batch.IsTerminated(i) ? SynthesisRecordReader.Torn(source)
                : !batch.HasBytes(i) ? SynthesisRecordReader.TooLong(source, batch.Length(i), limits)
                : SynthesisRecordReader.ParseBorrowed(batch.Bytes(i), source, limits, out document);
            using (document)
            {
                // The facts hold strings only: nothing points into the document.
                results.Add(RecordStatisticsBuilder.Examine(read, verifiers, minErrorRefineTurns, cancellationToken));
            }
        }
    }

    public override ValueTask CommitAsync(LineBatch batch, List<RecordFacts> results, CancellationToken cancellationToken)
    {
        for (var i = 0; i < results.Count; i++)
        {
            Statistics.Add(results[i]);
            progress?.Report(new RecordReadProgress(++_handled, batch.EndOffset(i)));
        }

        return ValueTask.CompletedTask;
    }
}
