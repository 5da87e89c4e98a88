using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using AgentRefine.Text;

namespace AgentRefine.Scoring;

/// <summary>
/// Alfworld and SciWorld subgoals: a Python <c>re.search</c>, i.e. an unanchored, case-sensitive
/// search (Python named groups accepted). Patterns come from data files, so every match runs with a
/// timeout; a pattern that does not compile or times out does not match and is reported in <see cref="Problems"/>.
/// </summary>
public sealed class RegexSubgoalMatcher : ISubgoalMatcher
{
    private readonly ConcurrentDictionary<string, Regex?> _compiled = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _problems = new();

    /// <summary>Creates the matcher.</summary>
    /// <param name="matchTimeout">The timeout of one match; 100 ms when <see langword="null"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="matchTimeout"/> is not positive (an infinite timeout is refused too: the patterns are untrusted).</exception>
    public RegexSubgoalMatcher(TimeSpan? matchTimeout = null)
    {
        MatchTimeout = matchTimeout ?? TimeSpan.FromMilliseconds(100);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(MatchTimeout, TimeSpan.Zero, nameof(matchTimeout));
    }

    /// <summary>The timeout of one match.</summary>
    public TimeSpan MatchTimeout { get; }

    /// <summary>Patterns that did not compile or timed out, with the reason (each reported once).</summary>
    public IReadOnlyCollection<string> Problems => _problems;

    /// <inheritdoc />
    public bool Matches(string subgoal, EpisodeStep episodeStep, string observation)
    {
        ArgumentNullException.ThrowIfNull(subgoal);
        ArgumentNullException.ThrowIfNull(observation);
        var regex = _compiled.GetOrAdd(subgoal, Compile);
        if (regex is null)
        {
            return false;
        }

        try
        {
            return regex.IsMatch(observation);
        }
        catch (RegexMatchTimeoutException)
        {
            _problems.Enqueue($"subgoal pattern \"{subgoal}\" timed out after {MatchTimeout.TotalMilliseconds:0} ms (counted as no match)");
            return false;
        }
    }

    private Regex? Compile(string pattern)
    {
        try
        {
            return UntrustedRegex.Create(pattern, MatchTimeout);
        }
        catch (ArgumentException exception)
        {
            _problems.Enqueue($"subgoal pattern \"{pattern}\" does not compile: {exception.Message}");
            return null;
        }
    }
}
