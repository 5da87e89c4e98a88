using AgentRefine.Conversion;
using AgentRefine.Json;

namespace AgentRefine.Tokenization;

/// <summary>
/// Tokenizes a chat dataset file (<see cref="ChatRowReader"/>'s shape) into a token-rows file
/// (<see cref="TokenRowWriter"/>'s), in input order: refused rows and rows over the maximum length
/// are counted and left out, never emitted or cut.
/// </summary>
public static class ChatRowTokenization
{
    /// <summary>Runs the tokenization.</summary>
    /// <param name="inputPath">The chat dataset.</param>
    /// <param name="outputPath">The token rows to write (replaced when complete; never partial).</param>
    /// <param name="template">The chat template, bound to the model's tokenizer.</param>
    /// <param name="maxLength">Rows with more tokens are skipped and counted; <see langword="null"/> for no limit.</param>
    /// <param name="limits">Read limits; defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the run (the output is then not written).</param>
    /// <returns>What was read and written.</returns>
    /// <exception cref="ArgumentException">The output path is the input path.</exception>
    /// <exception cref="InvalidDataException">A line is not a chat row (the message names its <c>file:line</c>); nothing is written.</exception>
    /// <exception cref="IOException">A file cannot be read or written.</exception>
    public static async Task<TokenizationStatistics> RunAsync(string inputPath, string outputPath, ChatTemplate template, int? maxLength = null, JsonReadLimits? limits = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(inputPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputPath);
        ArgumentNullException.ThrowIfNull(template);
        if (maxLength is { } max)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(max, 1, nameof(maxLength));
        }

        if (string.Equals(Path.GetFullPath(inputPath), Path.GetFullPath(outputPath), OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
        {
            throw new ArgumentException($"The output file '{Path.GetFullPath(outputPath)}' is the input file.", nameof(outputPath));
        }

        if (!File.Exists(inputPath))
        {
            throw new FileNotFoundException($"The input file '{Path.GetFullPath(inputPath)}' does not exist.", inputPath);
        }

        var statistics = new TokenizationStatistics();
        var writer = new TokenRowWriter(outputPath);
        await using (writer.ConfigureAwait(false))
        {
            await foreach (var row in ChatRowReader.ReadAsync(inputPath, limits, cancellationToken).ConfigureAwait(false))
            {
                statistics.RowsIn++;
                if (row.Conversation is not { } conversation)
                {
                    statistics.RefusedRows.Add(new RefusedRow(row.Source, row.Id, row.Refusal!));
                    continue;
                }

                TokenizedConversation tokens;
                try
                {
                    tokens = template.Tokenize(conversation);
                }
                catch (DatasetFormatException exception)
                {
                    statistics.RefusedRows.Add(new RefusedRow(row.Source, row.Id, exception.Message));
                    continue;
                }

                statistics.LongestRow = Math.Max(statistics.LongestRow, tokens.Length);
                if (tokens.Length > maxLength)
                {
                    statistics.OverMaxLength++;
                    continue;
                }

                await writer.WriteAsync(tokens, row.Id, cancellationToken).ConfigureAwait(false);
                statistics.RowsOut++;
                statistics.Tokens += tokens.Length;
                statistics.TrainedTokens += tokens.TrainedTokens;
            }

            await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
            statistics.BytesOut = writer.BytesWritten;
        }

        return statistics;
    }
}
