using AgentRefine.Conversion;

namespace AgentRefine.Tokenization;

/// <summary>
/// The <c>tokens</c> dataset format: each converted conversation rendered with a model's chat template
/// and tokenized into <c>{"id", "input_ids", "labels", "attention_mask"}</c> (see <see cref="TokenRowWriter"/>),
/// so <c>convert</c> goes from records to token rows in one step. Like the other writers, the file
/// appears at its path only when <see cref="CompleteAsync"/> runs. A conversation longer than
/// <see cref="MaxLength"/> tokens is skipped and counted (<see cref="RowsOverMaxLength"/>), never cut.
/// </summary>
public sealed class TokensDatasetWriter : ITrainingDatasetWriter
{
    /// <summary>The format's name: <c>tokens</c>.</summary>
    public const string Name = "tokens";

    private readonly TokenRowWriter _rows;

    /// <summary>Creates the writer and its temporary file.</summary>
    /// <param name="path">The token-rows file (replaced when the writer completes).</param>
    /// <param name="template">The model's chat template (with its tokenizer).</param>
    /// <param name="maxLength">The most tokens a row may have; rows over it are skipped; no limit when <see langword="null"/>.</param>
    public TokensDatasetWriter(string path, ChatTemplate template, int? maxLength = null)
    {
        ArgumentNullException.ThrowIfNull(template);
        if (maxLength is { } limit)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1, nameof(maxLength));
        }

        Template = template;
        MaxLength = maxLength;
        _rows = new TokenRowWriter(path);
    }

    /// <inheritdoc />
    public string FormatName => Name;

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
    public long RowsWritten => _rows.RowsWritten;

    /// <inheritdoc />
    public long BytesWritten => _rows.BytesWritten;

    /// <inheritdoc />
    /// <exception cref="DatasetFormatException">The conversation breaks the template's rules (the message names it and the rule).</exception>
    public async ValueTask WriteAsync(TrainingConversation conversation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        var row = Template.Tokenize(conversation);
        if (MaxLength is { } limit && row.Length > limit)
        {
            RowsOverMaxLength++;
            return;
        }

        await _rows.WriteAsync(row, conversation.Id, cancellationToken).ConfigureAwait(false);
        Tokens += row.Length;
        TrainedTokens += row.TrainedTokens;
    }

    /// <inheritdoc />
    public ValueTask CompleteAsync(CancellationToken cancellationToken = default) => _rows.CompleteAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _rows.DisposeAsync();
}
