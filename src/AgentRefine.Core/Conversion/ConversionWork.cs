using AgentRefine.Json;
using AgentRefine.Synthesis;

namespace AgentRefine.Conversion;

/// <summary>
/// The work of <see cref="DatasetConversion"/> over a stream: workers parse each line into a record that borrows
/// its JSON from a pooled document (disposed once the record is converted), verify and convert it, and
/// serialize the rows when the writer's format allows (<see cref="JsonlDatasetWriter.RendersConcurrently"/>);
/// the committer writes the rows, counts and stops exactly as the one-record-at-a-time loop does.
/// </summary>
internal sealed class ConversionWork(
    string sourceName,
    JsonReadLimits limits,
    RefinementTuningConverter converter,
    ITrainingDatasetWriter writer,
    JsonlDatasetWriter? renderer,
    bool skipUnreadableLines,
    IProgress<RecordReadProgress>? progress) : LineBatchWork<ConversionBatch>
{
    private long _handled;

    /// <summary>The statistics of what was committed.</summary>
    public ConversionStatisticsBuilder Statistics { get; } = new();

    public override ConversionBatch CreateResults() => new() { Rows = renderer is null ? null : new RenderedRows() };

    public override void Reset(ConversionBatch results)
    {
        results.Outcomes.Clear();
        results.Rows?.Clear();
    }

    public override void Process(LineBatch batch, ConversionBatch results, CancellationToken cancellationToken)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var outcome = Convert(batch, i, cancellationToken);
            if (renderer is not null && outcome.Conversation is { } conversation)
            {
                renderer.Render(conversation, results.Rows!);
            }

            results.Outcomes.Add(outcome);
        }
    }

    public override async ValueTask CommitAsync(LineBatch batch, ConversionBatch results, CancellationToken cancellationToken)
    {
        var rendered = 0;
        for (var i = 0; i < results.Outcomes.Count; i++)
        {
            var outcome = results.Outcomes[i];
            if (outcome.Conversation is { } conversation)
            {
                if (results.Rows is { } rows)
                {
                    await renderer!.CommitRenderedAsync(rows, rendered++, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await writer.WriteAsync(conversation, cancellationToken).ConfigureAwait(false);
                }

                Statistics.Converted(conversation);
            }
            else
            {
                DatasetConversion.Skip(outcome, converter, skipUnreadableLines, Statistics);
            }

            progress?.Report(new RecordReadProgress(++_handled, batch.EndOffset(i)));
        }
    }

    private ConversionOutcome Convert(LineBatch batch, int index, CancellationToken cancellationToken)
    {
        var source = $"{sourceName}:{batch.Number(index)}";
        SynthesisRecordReadResult read;
        System.Text.Json.JsonDocument? document = null;
        if (!batch.IsTerminated(index))
        {
            read = SynthesisRecordReader.Torn(source);
        }
        else if (!batch.HasBytes(index))
        {
            read = SynthesisRecordReader.TooLong(source, batch.Length(index), limits);
        }
        else
        {
            read = SynthesisRecordReader.ParseBorrowed(batch.Bytes(index), source, limits, out document);
        }

        using (document)
        {
            // Nothing of the outcome points into the document: a conversation holds strings only.
            return read.Record is { } record
                ? converter.Convert(record, cancellationToken)
                : new ConversionOutcome(read.Source, null, ConversionOutcome.UnreadableLine, read.Error);
        }
    }
}
