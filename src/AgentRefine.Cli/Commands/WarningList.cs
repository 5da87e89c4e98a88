using System.Globalization;
using AgentRefine.Scoring;

namespace AgentRefine.Cli.Commands;

/// <summary>
/// The distinct per-episode warnings of a scoring run (<c>run/task/id: diagnostic</c>, in input order),
/// at most <see cref="Limit"/> of them kept and printed, then a count of the rest, so a file where every
/// episode warns does not fill memory or the terminal.
/// </summary>
internal sealed class WarningList
{
    /// <summary>The most warnings printed.</summary>
    public const int Limit = 100;

    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly List<string> _shown = [];
    private long _more;

    /// <summary>Adds the diagnostics of one episode's score.</summary>
    public void Add(EpisodeScore score)
    {
        foreach (var diagnostic in score.Diagnostics)
        {
            var line = $"{score.Run}/{score.Task}/{score.Id}: {diagnostic}";
            if (_seen.Contains(line))
            {
                continue;
            }

            if (_shown.Count < Limit)
            {
                _seen.Add(line);
                _shown.Add(line);
            }
            else
            {
                _more++;
            }
        }
    }

    /// <summary>Prints the warnings, <c>agentrefine &lt;command&gt;: warning: ...</c> each, and <c>… and N more warnings</c> when some were left out.</summary>
    public void Write(TextWriter error, string command)
    {
        foreach (var line in _shown)
        {
            error.WriteLine($"agentrefine {command}: warning: {line}");
        }

        if (_more > 0)
        {
            error.WriteLine($"agentrefine {command}: warning: … and {_more.ToString("N0", CultureInfo.InvariantCulture)} more warnings (only the first {Limit} are shown).");
        }
    }
}
