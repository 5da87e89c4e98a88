namespace AgentRefine.Scoring;

/// <summary>
/// One episode's sticky regex subgoal flags (Alfworld, ScienceWorld): a subgoal's flag is set the
/// first time a step's observation matches it (<see cref="RegexSubgoalMatcher"/>) and never reset;
/// any number of flags may be set by one step. The state of <see cref="AlfworldScorer"/> and
/// <see cref="SciWorldScorer"/>, and a building block for a host's own <see cref="TaskScorer{TState}"/>.
/// </summary>
public sealed class RegexSubgoalFlags
{
    private readonly IReadOnlyList<string> _subgoals;
    private readonly bool[] _set;
    private readonly RegexSubgoalMatcher _matcher;

    /// <summary>Creates the flags, none set.</summary>
    /// <param name="subgoals">The subgoal patterns, in order.</param>
    /// <param name="matchTimeout">The timeout of one match; 100 ms when <see langword="null"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="matchTimeout"/> is not positive.</exception>
    public RegexSubgoalFlags(IReadOnlyList<string> subgoals, TimeSpan? matchTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(subgoals);
        _subgoals = subgoals;
        _set = new bool[subgoals.Count];
        _matcher = new RegexSubgoalMatcher(matchTimeout);
    }

    /// <summary>The number of subgoals (K).</summary>
    public int Total => _set.Length;

    /// <summary>The number of flags set so far.</summary>
    public int Reached { get; private set; }

    /// <summary>Patterns that did not compile or timed out, with the reason, each once.</summary>
    public IReadOnlyList<string> Problems => [.. _matcher.Problems.Distinct(StringComparer.Ordinal)];

    /// <summary>Sets the flag of every subgoal not yet reached that the step's observation matches.</summary>
    /// <param name="episodeStep">The step.</param>
    public void Update(EpisodeStep episodeStep)
    {
        ArgumentNullException.ThrowIfNull(episodeStep);
        for (var j = 0; j < _set.Length; j++)
        {
            if (!_set[j] && _matcher.Matches(_subgoals[j], episodeStep, episodeStep.Observation))
            {
                _set[j] = true;
                Reached++;
            }
        }
    }
}
