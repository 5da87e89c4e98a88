using System.Text;

namespace AgentRefine.Scoring;

/// <summary>
/// Jericho subgoals: every character that is not an ASCII letter or digit or white space is removed
/// from the subgoal and the observation; the subgoal matches when it is contained in the observation (ordinal).
/// </summary>
public sealed class NormalizedTextSubgoalMatcher : ISubgoalMatcher
{
    /// <summary>Keeps <c>[A-Za-z0-9]</c> and white space.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The normalized text.</returns>
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsAsciiLetterOrDigit(c) || char.IsWhiteSpace(c))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <inheritdoc />
    public bool Matches(string subgoal, EpisodeStep episodeStep, string observation)
    {
        ArgumentNullException.ThrowIfNull(subgoal);
        ArgumentNullException.ThrowIfNull(observation);
        return Normalize(observation).Contains(Normalize(subgoal), StringComparison.Ordinal);
    }
}
