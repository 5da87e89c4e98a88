using AgentRefine.Conversion;
using Parquet.Schema;

namespace AgentRefine.Tokenization;

/// <summary>
/// The <c>tokens</c> dataset format: each converted conversation rendered with a model's chat template
/// and tokenized into <c>{"id", "input_ids", "labels", "attention_mask"}</c> (the row
/// <see cref="TokenRowWriter"/> writes), so <c>convert</c> goes from records to token rows in one step.
/// As a <see cref="JsonlDatasetWriter"/> it writes JSON Lines or, for a <c>.parquet</c> path, Parquet
/// (<c>id: string, input_ids, labels, attention_mask: list&lt;int32&gt;</c>), with the train / eval split,
/// and its files appear at their paths only when the writer completes. A conversation longer than
/// <see cref="MaxLength"/> tokens is skipped and counted (<see cref="RowsOverMaxLength"/>), never cut.
/// </summary>
public sealed class TokensDatasetWriter : JsonlDatasetWriter
{
    /// <summary>The format's name: <c>tokens</c>.</summary>
    public const string Name = "tokens";

    /// <summary>Creates the writer and its temporary file.</summary>
    /// <param name="path">The token-rows file (replaced when the writer completes); Parquet when it ends with <c>.parquet</c>.</param>
    /// <param name="template">The model's chat template (with its tokenizer).</param>
    /// <param name="maxLength">The most tokens a row may have; rows over it are skipped; no limit when <see langword="null"/>.</param>
    /// <param name="options">The container and the eval split; JSON Lines without a split when <see langword="null"/>.</param>
    public TokensDatasetWriter(string path, ChatTemplate template, int? maxLength = null, DatasetWriterOptions? options = null)
        : base(path, options, DatasetContainer.JsonLines, Schema, null)
    {
        ArgumentNullException.ThrowIfNull(template);
        if (maxLength is { } limit)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1, nameof(maxLength));
        }

        Template = template;
        MaxLength = maxLength;
    }

    /// <inheritdoc />
    public override string FormatName => Name;

    /// <inheritdoc />
    /// <remarks>The chat template and its tokenizer are thread-safe.</remarks>
    private protected override bool CanRenderConcurrently => true;

    /// <summary>The chat template rows are rendered with.</summary>
    public ChatTemplate Template { get; }

    /// <summary>The most tokens a row may have, if limited.</summary>
    public int? MaxLength { get; }

    /// <summary>Conversations skipped because they had more than <see cref="MaxLength"/> tokens.</summary>
    public long RowsOverMaxLength { get; private set; }

    /// <summary>Tokens written, over every row.</summary>
    public long Tokens { get; private set; }

    /// <summary>Tokens with a label (the trained assistant contents and their end-of-turn tokens), over every row.</summary>
    public long TrainedTokens { get; private set; }

    /// <inheritdoc />
    /// <exception cref="DatasetFormatException">The conversation breaks the template's rules (the message names it and the rule).</exception>
    protected override void WriteRows(TrainingConversation conversation)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        var row = Template.Tokenize(conversation);
        if (MaxLength is { } limit && row.Length > limit)
        {
            OnWritten(() => RowsOverMaxLength++);
            return;
        }

        WriteRow(writer => TokenRowJson.Write(writer, row, conversation.Id));
        var (tokens, trained) = ((long)row.Length, (long)row.TrainedTokens);
        OnWritten(() =>
        {
            Tokens += tokens;
            TrainedTokens += trained;
        });
    }

    private static ParquetSchema Schema() => new(
        new DataField<string>("id"),
        new ListField("input_ids", new DataField<int>(ListField.ElementName)),
        new ListField("labels", new DataField<int>(ListField.ElementName)),
        new ListField("attention_mask", new DataField<int>(ListField.ElementName)));
}
