using AgentRefine.Json;
using AgentRefine.Synthesis;

namespace AgentRefine.Cli.Commands;

/// <summary>Streams a records file to a consumer with read progress (bytes of total, records/s), so long conversions and statistics are never silent.</summary>
internal static class RecordFiles
{
    /// <summary>Opens <paramref name="file"/> and hands its records, as read, to <paramref name="consume"/>.</summary>
    /// <param name="environment">Terminals, clock and progress interval.</param>
    /// <param name="error">Standard error (progress lines).</param>
    /// <param name="command">The command, for progress lines.</param>
    /// <param name="file">The records file.</param>
    /// <param name="limits">Read limits.</param>
    /// <param name="consume">The work over the records.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The work's result.</returns>
    public static Task<T> ReadAsync<T>(CliEnvironment environment, TextWriter error, string command, FileInfo file, JsonReadLimits limits, Func<IAsyncEnumerable<SynthesisRecordReadResult>, Task<T>> consume, CancellationToken cancellationToken) =>
        ReadProgress.RunAsync(environment, error, command, file, "records", async progress =>
        {
            var stream = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, useAsync: true);
            await using (stream.ConfigureAwait(false))
            {
                return await consume(Reported(SynthesisRecordReader.ReadAsync(stream, file.Name, limits, cancellationToken), stream, progress)).ConfigureAwait(false);
            }
        });

    private static async IAsyncEnumerable<SynthesisRecordReadResult> Reported(IAsyncEnumerable<SynthesisRecordReadResult> records, Stream stream, IReadProgress progress)
    {
        long count = 0;
        await foreach (var record in records.ConfigureAwait(false))
        {
            progress.Report(stream.Position, ++count);
            yield return record;
        }
    }

    /// <summary>The read limits for <c>--max-line-bytes</c>: a line may hold up to that many bytes (4 per character of <see cref="JsonReadLimits.MaxInputChars"/>).</summary>
    public static JsonReadLimits Limits(long? maxLineBytes) =>
        maxLineBytes is { } bytes ? new JsonReadLimits { MaxInputChars = (int)Math.Clamp((bytes + 3) / 4, 1, int.MaxValue) } : JsonReadLimits.Default;
}
