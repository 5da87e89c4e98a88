using AgentRefine.Conversion;
using AgentRefine.Json;

namespace AgentRefine.Cli.Commands;

/// <summary>Streams a records file to a consumer with read progress (bytes of total, records/s), so long conversions and statistics are never silent.</summary>
internal static class RecordFiles
{
    /// <summary>
    /// Opens <paramref name="file"/> and hands the stream to <paramref name="consume"/> with a progress sink for
    /// its <see cref="RecordReadProgress"/> reports (for the library's stream overloads, which read on several cores).
    /// </summary>
    /// <param name="environment">Terminals, clock and progress interval.</param>
    /// <param name="error">Standard error (progress lines).</param>
    /// <param name="command">The command, for progress lines.</param>
    /// <param name="file">The records file.</param>
    /// <param name="consume">The work over the stream.</param>
    /// <returns>The work's result.</returns>
    public static Task<T> ReadAsync<T>(CliEnvironment environment, TextWriter error, string command, FileInfo file, Func<Stream, IProgress<RecordReadProgress>, Task<T>> consume) =>
        ReadProgress.RunAsync(environment, error, command, file, "records", async progress =>
        {
            var stream = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, useAsync: true);
            await using (stream.ConfigureAwait(false))
            {
                return await consume(stream, new ProgressSink(progress)).ConfigureAwait(false);
            }
        });

    /// <summary>Passes the library's reports on to the progress display (synchronously, on the reporting flow).</summary>
    private sealed class ProgressSink(IReadProgress progress) : IProgress<RecordReadProgress>
    {
        public void Report(RecordReadProgress value) => progress.Report(value.BytesRead, value.Records);
    }

    /// <summary>The read limits for <c>--max-line-bytes</c>: a line may hold up to that many bytes (4 per character of <see cref="JsonReadLimits.MaxInputChars"/>).</summary>
    public static JsonReadLimits Limits(long? maxLineBytes) =>
        maxLineBytes is { } bytes ? new JsonReadLimits { MaxInputChars = (int)Math.Clamp((bytes + 3) / 4, 1, int.MaxValue) } : JsonReadLimits.Default;
}
