using AgentRefine.Scoring;

namespace AgentRefine.Cli.Commands;

/// <summary>Streams an episodes file through a scorer one episode at a time, with read progress, so memory does not grow with the file.</summary>
internal static class EpisodeFiles
{
    /// <summary>Reads, selects and scores every episode of <paramref name="file"/>, handing each score to <paramref name="sink"/>.</summary>
    /// <param name="environment">Terminals, clock and progress interval.</param>
    /// <param name="error">Standard error (progress lines).</param>
    /// <param name="command">The command, for progress lines.</param>
    /// <param name="file">The episodes file.</param>
    /// <param name="scorer">The scorer.</param>
    /// <param name="select">Maps each episode to the one to score (a renamed run), or <see langword="null"/> to skip it.</param>
    /// <param name="sink">Receives each score, in file order.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The episodes read.</returns>
    public static Task<long> ScoreAsync(CliEnvironment environment, TextWriter error, string command, FileInfo file, AgentBoardScorer scorer, Func<Episode, Episode?> select, Action<EpisodeScore> sink, CancellationToken cancellationToken) =>
        ReadProgress.RunAsync(environment, error, command, file, "episodes", async progress =>
        {
            var stream = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, useAsync: true);
            await using (stream.ConfigureAwait(false))
            {
                long count = 0;
                await foreach (var episode in EpisodeReader.ReadAsync(stream, file.Name, cancellationToken).ConfigureAwait(false))
                {
                    count++;
                    if (select(episode) is { } chosen)
                    {
                        sink(scorer.Score(chosen));
                    }

                    progress.Report(stream.Position, count);
                }

                return count;
            }
        });
}
