using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AgentRefine.Diagnostics;
using AgentRefine.Scripts;
using AgentRefine.Text;
using AgentRefine.Trajectories;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentRefine.Verification;

/// <summary>
/// The paper's rule-based verification, made exact (see <c>docs/verification.md</c>). Every rule is a
/// <see langword="protected"/> <see langword="virtual"/> method, so a host tightens or adds a rule by
/// subclassing; <see cref="CheckTurnContent"/> and <see cref="CheckScriptContent"/> are empty hooks for
/// a host's own rules. Instances are thread-safe; each script's verification codes are compiled once
/// per verifier instance.
/// </summary>
public class RuleBasedVerifier : IVerifier
{
    // Small on purpose: LLM-written scripts bring mostly new codes, and a large cache of codes never
    // seen again only promotes them into older GC generations (measured: 6% more CPU at 4,096).
    private const int MaxCachedPatterns = 256;
    private readonly ConditionalWeakTable<Script, ScriptCheck> _scriptChecks = [];
    private readonly RegexCache _regexes = new(MaxCachedPatterns);
    private readonly RegexCache _anchored = new(MaxCachedPatterns);
    private readonly ILogger _logger;

    /// <summary>Creates a verifier.</summary>
    /// <param name="options">The settings; the defaults when <see langword="null"/>. They are validated and copied here, so later changes to <paramref name="options"/> have no effect.</param>
    /// <param name="logger">The logger; none when <see langword="null"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public RuleBasedVerifier(VerifierOptions? options = null, ILogger<RuleBasedVerifier>? logger = null)
    {
        options ??= new VerifierOptions();
        options.Validate();
        Options = options.Clone();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The settings (a private copy of those given to the constructor).</summary>
    protected VerifierOptions Options { get; }

    /// <summary>A copy of the settings this verifier applies (written into each record's provenance).</summary>
    public VerifierOptions Settings => Options.Clone();

    /// <inheritdoc />
    public virtual VerificationResult VerifyScript(ScriptReadResult script, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(script);
        if (CheckScriptJson(script) is { } notJson)
        {
            return Finish("script", VerificationOutcome.RegenerateScript, [], 0, [notJson]);
        }

        return GetScriptCheck(script.Script!, cancellationToken).Result;
    }

    /// <inheritdoc />
    public virtual VerificationResult VerifyTrajectory(Script script, TrajectoryReadResult trajectory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(trajectory);
        var scriptCheck = GetScriptCheck(script, cancellationToken);
        if (scriptCheck.Compiled is not { } compiled)
        {
            return scriptCheck.Result;
        }

        using var activity = AgentRefineTelemetry.ActivitySource.StartActivity("agentrefine.verify_trajectory");
        var turns = new List<Turn>(trajectory.Turns.Count);
        for (var i = 0; i < trajectory.Turns.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var issue = CheckTurnKeys(trajectory.Turns[i], i, out var turn);
            if (issue is null)
            {
                issue = CheckTurnOrder(turn!, i, turns);
            }

            if (issue is null && turn is DmTurn dm && i > 0 && turns[i - 1] is PlayerTurn player)
            {
                issue = CheckPlayerAction(compiled, player, i - 1, dm);
            }

            if (issue is null)
            {
                issue = CheckTurnContent(script, turn!, i, turns);
            }

            if (issue is not null)
            {
                var kept = turns.Take(Math.Clamp(issue.Turn ?? i, 0, turns.Count)).ToList();
                return Finish("trajectory", VerificationOutcome.Continue, kept, CountErrorRefineTurns(kept), [issue]);
            }

            turns.Add(turn!);
        }

        if (CheckJsonFormat(trajectory) is { } broken)
        {
            return Finish("trajectory", VerificationOutcome.Continue, turns, CountErrorRefineTurns(turns), [broken]);
        }

        var errorRefineTurns = CountErrorRefineTurns(turns);
        if (CheckCompletion(turns) is { } incomplete)
        {
            return Finish("trajectory", VerificationOutcome.Continue, turns, errorRefineTurns, [incomplete]);
        }

        if (CheckRefinements(turns, errorRefineTurns) is { } tooFew)
        {
            return Finish("trajectory", VerificationOutcome.Regenerate, [], errorRefineTurns, [tooFew]);
        }

        return Finish("trajectory", VerificationOutcome.Accepted, turns, errorRefineTurns, []);
    }

    /// <summary>
    /// Returns the compiled form of a script that passes verification, or <see langword="null"/>
    /// when it fails (the same cached check <see cref="VerifyTrajectory"/> uses).
    /// </summary>
    /// <param name="script">The script.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The compiled script, or <see langword="null"/>.</returns>
    public CompiledScript? Compile(Script script, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(script);
        return GetScriptCheck(script, cancellationToken).Compiled;
    }

    // ----- Script rules, in check order -----

    /// <summary>Rule <c>script-json</c>: the text must hold a JSON object (within the read limits).</summary>
    /// <param name="script">The read result.</param>
    /// <returns>The issue, or <see langword="null"/>.</returns>
    protected virtual VerificationIssue? CheckScriptJson(ScriptReadResult script)
    {
        ArgumentNullException.ThrowIfNull(script);
        return script.Script is null
            ? new VerificationIssue(VerificationIssueCodes.ScriptJson, null, $"The script is not a JSON object: {script.Error!.TrimEnd('.')}.")
            : null;
    }

    /// <summary>Rule <c>script-missing-key</c>: <c>Goal</c>, <c>Completion Conditions</c> and <c>Available Actions</c> must be present and non-empty.</summary>
    /// <param name="script">The script.</param>
    /// <returns>One issue per missing key.</returns>
    protected virtual IEnumerable<VerificationIssue> CheckRequiredKeys(Script script)
    {
        ArgumentNullException.ThrowIfNull(script);
        if (string.IsNullOrWhiteSpace(script.Goal))
        {
            yield return new(VerificationIssueCodes.ScriptMissingKey, null, $"'{Script.GoalKey}' is missing, empty or not a string.");
        }

        if (!script.CompletionConditions.Any(c => !string.IsNullOrWhiteSpace(c)))
        {
            yield return new(VerificationIssueCodes.ScriptMissingKey, null, $"'{Script.CompletionConditionsKey}' is missing or empty; it must be a non-empty list of strings.");
        }

        if (script.AvailableActions.Count == 0)
        {
            yield return new(VerificationIssueCodes.ScriptMissingKey, null, $"'{Script.AvailableActionsKey}' is missing or empty; it must map each action template to its 'verification code' and 'parameters'.");
        }
    }

    /// <summary>Rule <c>regex-invalid</c>: the action's verification code must be a string within the length limit that compiles.</summary>
    /// <param name="action">The action.</param>
    /// <param name="regex">The compiled code, with the match timeout (and the non-backtracking engine when enabled and possible).</param>
    /// <returns>The issue, or <see langword="null"/>.</returns>
    protected virtual VerificationIssue? CheckVerificationCode(ScriptAction action, out Regex? regex)
    {
        ArgumentNullException.ThrowIfNull(action);
        regex = null;
        if (string.IsNullOrWhiteSpace(action.VerificationCode))
        {
            return new(VerificationIssueCodes.RegexInvalid, null, $"Action {Quote(action.Template)} has no '{Script.VerificationCodeKey}' (a regular expression string).");
        }

        if (action.VerificationCode.Length > Options.MaxVerificationCodeLength)
        {
            return new(VerificationIssueCodes.RegexInvalid, null, $"The verification code of action {Quote(action.Template)} is {action.VerificationCode.Length:N0} characters long, over the limit of {Options.MaxVerificationCodeLength:N0}.");
        }

        try
        {
            regex = CreateRegex(UntrustedRegex.Translate(action.VerificationCode), action.Template);
            return null;
        }
        catch (ArgumentException exception)
        {
            return new(VerificationIssueCodes.RegexInvalid, null, $"The verification code of action {Quote(action.Template)} does not compile: {exception.Message}");
        }
    }

    /// <summary>
    /// Rule <c>placeholder-mismatch</c>: the template's placeholders must be exactly the keys of
    /// <c>parameters</c>, each with at least one value, and the code must have one capture group per
    /// placeholder occurrence (mapped left to right), unless named groups carry every placeholder's name.
    /// </summary>
    /// <param name="action">The action.</param>
    /// <param name="regex">Its compiled verification code.</param>
    /// <param name="compiled">The action with its groups mapped, when the rule passes.</param>
    /// <returns>The issue, or <see langword="null"/>.</returns>
    protected virtual VerificationIssue? CheckPlaceholders(ScriptAction action, Regex regex, out CompiledAction? compiled)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(regex);
        compiled = null;
        var template = action.Template;
        var placeholders = ActionTemplate.Placeholders(action.Template);
        var distinct = placeholders.Distinct(StringComparer.Ordinal).ToList();
        var names = action.Parameters.Select(p => p.Name).ToList();
        var missing = distinct.Except(names, StringComparer.Ordinal).ToList();
        var extra = names.Except(distinct, StringComparer.Ordinal).ToList();
        if (missing.Count > 0 || extra.Count > 0)
        {
            template = Quote(template);
            var parts = new List<string>();
            if (missing.Count > 0)
            {
                parts.Add($"'{Script.ParametersKey}' lists no values for {string.Join(", ", missing.Select(m => "{" + m + "}"))}");
            }

            if (extra.Count > 0)
            {
                parts.Add($"'{Script.ParametersKey}' names {string.Join(", ", extra.Select(e => "'" + e + "'"))}, which the template does not use");
            }

            return new(VerificationIssueCodes.PlaceholderMismatch, null, $"Action {template}: {string.Join("; ", parts)}.");
        }

        if (action.Parameters.FirstOrDefault(p => p.Values.Count == 0) is { } empty)
        {
            return new(VerificationIssueCodes.PlaceholderMismatch, null, $"Action {Quote(template)}: placeholder {{{empty.Name}}} has no valid values; '{Script.ParametersKey}' must list at least one string for it.");
        }

        int[] groups;
        if (distinct.Count > 0 && distinct.TrueForAll(name => IsGroupName(regex, name)))
        {
            groups = new int[placeholders.Count];
            for (var i = 0; i < groups.Length; i++)
            {
                groups[i] = regex.GroupNumberFromName(placeholders[i]);
            }
        }
        else
        {
            groups = UntrustedRegex.GroupsInPatternOrder(regex.ToString(), regex);
            if (groups.Length != placeholders.Count)
            {
                return new(VerificationIssueCodes.PlaceholderMismatch, null,
                    $"Action {Quote(template)}: the verification code has {groups.Length} capture group(s) but the template has {placeholders.Count} placeholder(s); use (?:...) for groups that capture no placeholder, or name each group after its placeholder.");
            }
        }

        compiled = new CompiledAction(action, regex, AnchorOf(regex), placeholders, groups);
        return null;
    }

    /// <summary>Whether <paramref name="name"/> names a group of <paramref name="regex"/> (a name, not a number).</summary>
    private static bool IsGroupName(Regex regex, string name) =>
        !int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out _) && regex.GroupNumberFromName(name) >= 0;

    /// <summary>
    /// Rules <c>regex-timeout</c> and <c>action-self-check</c>: the template, filled with valid values
    /// (each listed value used at least once), must fully match its own verification code, capture
    /// exactly the values filled in, and do so within the match timeout.
    /// </summary>
    /// <param name="action">The compiled action.</param>
    /// <returns>The issue, or <see langword="null"/>.</returns>
    protected virtual VerificationIssue? CheckSelfMatch(CompiledAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var template = action.Action.Template;
        var rounds = 1;
        foreach (var parameter in action.Action.Parameters)
        {
            rounds = Math.Max(rounds, parameter.Values.Count);
        }

        for (var k = 0; k < rounds; k++)
        {
            string ValueOf(string name)
            {
                var values = action.Action.FindParameter(name)!.Values;
                return values[k % values.Count];
            }

            var input = ActionTemplate.Instantiate(action.Action.Template, ValueOf);
            var match = action.Match(input);
            switch (match.Status)
            {
                case ActionMatchStatus.TimedOut:
                    return new(VerificationIssueCodes.RegexTimeout, null, $"Matching {Quote(input)} against the verification code of action {Quote(template)} timed out after {Options.RegexMatchTimeout.TotalMilliseconds:0} ms; simplify the expression.");
                case ActionMatchStatus.NoMatch:
                    return new(VerificationIssueCodes.ActionSelfCheck, null, $"Action {Quote(template)} filled with valid values, {Quote(input)}, does not fully match its own verification code.");
                default:
                    foreach (var (name, value) in match.Values)
                    {
                        var expected = ValueOf(name).Trim();
                        if (!string.Equals(value, expected, StringComparison.Ordinal))
                        {
                            return new(VerificationIssueCodes.ActionSelfCheck, null, $"Action {Quote(template)}: {Quote(input)} captures {Quote(value)} for {{{name}}}, expected {Quote(expected)}.");
                        }
                    }

                    break;
            }
        }

        return null;
    }

    /// <summary>A hook for a host's own script rules; runs after the built-in ones. Default: none.</summary>
    /// <param name="script">The script.</param>
    /// <returns>The issues found.</returns>
    protected virtual IEnumerable<VerificationIssue> CheckScriptContent(Script script) => [];

    // ----- Trajectory rules -----

    /// <summary>Rule <c>json-format</c>: the trajectory's JSON must be whole; the turns before the break are kept.</summary>
    /// <param name="trajectory">The read result.</param>
    /// <returns>The issue, or <see langword="null"/>.</returns>
    protected virtual VerificationIssue? CheckJsonFormat(TrajectoryReadResult trajectory)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        return trajectory.IsComplete
            ? null
            : new(VerificationIssueCodes.JsonFormat, trajectory.BreakIndex, $"The JSON breaks at turn {trajectory.BreakIndex}: {trajectory.Error!.TrimEnd('.')}.");
    }

    /// <summary>Rule <c>turn-keys</c>: exactly the keys of the turn's role, spelled exactly, with the right JSON types.</summary>
    /// <param name="element">The turn's JSON value.</param>
    /// <param name="index">Its 0-based index.</param>
    /// <param name="turn">The typed turn, when the rule passes.</param>
    /// <returns>The issue, or <see langword="null"/>.</returns>
    protected virtual VerificationIssue? CheckTurnKeys(JsonElement element, int index, out Turn? turn)
    {
        return TurnParser.TryParse(element, out turn, out var problem)
            ? null
            : new(VerificationIssueCodes.TurnKeys, index, $"Turn {index}: {problem}.");
    }

    /// <summary>Rule <c>turn-order</c>: the trajectory starts with DM, roles alternate, and numbers run on by one from the first turn's.</summary>
    /// <param name="turn">The turn.</param>
    /// <param name="index">Its 0-based index.</param>
    /// <param name="previous">The turns before it (all verified).</param>
    /// <returns>The issue, or <see langword="null"/>.</returns>
    protected virtual VerificationIssue? CheckTurnOrder(Turn turn, int index, IReadOnlyList<Turn> previous)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentNullException.ThrowIfNull(previous);
        if (previous.Count == 0)
        {
            return turn is DmTurn
                ? null
                : new(VerificationIssueCodes.TurnOrder, index, $"Turn {index} is a Player turn; the trajectory must start with a DM turn that gives the initial observation.");
        }

        var last = previous[^1];
        if (last.Role == turn.Role)
        {
            return new(VerificationIssueCodes.TurnOrder, index, $"Turn {index} is a {turn.Role} turn after a {last.Role} turn; DM and Player turns must alternate.");
        }

        var expected = (long)previous[0].Number + previous.Count;
        return turn.Number == expected
            ? null
            : new(VerificationIssueCodes.TurnOrder, index, $"Turn {index} is numbered {turn.Number}; expected {expected} (numbers run on by one from {previous[0].Number}).");
    }

    /// <summary>
    /// Rule <c>action-unmatched</c>: a Player action must fully match a verification code with valid
    /// values (a timed-out match counts as no match), unless the DM's next turn flags a parameter error.
    /// The turns before the Player turn are kept.
    /// </summary>
    /// <param name="script">The compiled script.</param>
    /// <param name="player">The Player turn.</param>
    /// <param name="index">The Player turn's 0-based index.</param>
    /// <param name="reply">The DM turn that answers it.</param>
    /// <returns>The issue, or <see langword="null"/>.</returns>
    protected virtual VerificationIssue? CheckPlayerAction(CompiledScript script, PlayerTurn player, int index, DmTurn reply)
    {
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(player);
        ArgumentNullException.ThrowIfNull(reply);
        if (reply.ParameterError)
        {
            return null;
        }

        var match = script.Match(player.Action);
        if (match.IsMatch)
        {
            return null;
        }

        var templates = string.Join(", ", script.Actions.Take(12).Select(a => Quote(a.Action.Template)));
        return new(VerificationIssueCodes.ActionUnmatched, index,
            $"Turn {index}: the Player's action {Quote(player.Action)} is not a valid action ({match.Message}), yet the DM turn after it does not set parameter_error. Available actions: {templates}.");
    }

    /// <summary>A hook for a host's own per-turn rules; runs after the built-in ones for each turn. Default: none.</summary>
    /// <param name="script">The script.</param>
    /// <param name="turn">The turn (keys and order already verified).</param>
    /// <param name="index">Its 0-based index.</param>
    /// <param name="previous">The verified turns before it.</param>
    /// <returns>An issue (the turns before <see cref="VerificationIssue.Turn"/>, or before <paramref name="index"/>, are kept and the outcome is <see cref="VerificationOutcome.Continue"/>), or <see langword="null"/>.</returns>
    protected virtual VerificationIssue? CheckTurnContent(Script script, Turn turn, int index, IReadOnlyList<Turn> previous) => null;

    /// <summary>Rule <c>not-completed</c>: the last turn must be a DM turn with <c>task_completed: true</c>; all turns are kept.</summary>
    /// <param name="turns">The verified turns.</param>
    /// <returns>The issue, or <see langword="null"/>.</returns>
    protected virtual VerificationIssue? CheckCompletion(IReadOnlyList<Turn> turns)
    {
        ArgumentNullException.ThrowIfNull(turns);
        return turns.Count == 0
            ? new(VerificationIssueCodes.NotCompleted, null, "The trajectory has no turns.")
            : turns[^1] switch
            {
                DmTurn { TaskCompleted: true } => null,
                DmTurn => new(VerificationIssueCodes.NotCompleted, null, "The last DM turn does not set task_completed to true; the trajectory must go on until the goal is reached."),
                _ => new(VerificationIssueCodes.NotCompleted, null, "The trajectory ends with a Player turn; it must end with a DM turn that sets task_completed to true."),
            };
    }

    /// <summary>
    /// Counts error-refine turns: DM turns that answer a Player turn with an error flag and that a later
    /// DM turn without one follows (an error flag on the opening DM turn answers no action and does not count).
    /// </summary>
    /// <param name="turns">The turns.</param>
    /// <returns>The count.</returns>
    protected virtual int CountErrorRefineTurns(IReadOnlyList<Turn> turns)
    {
        ArgumentNullException.ThrowIfNull(turns);
        var lastClean = -1;
        for (var i = turns.Count - 1; i >= 0; i--)
        {
            if (turns[i] is DmTurn { HasError: false })
            {
                lastClean = i;
                break;
            }
        }

        var count = 0;
        for (var i = 1; i < lastClean; i++)
        {
            if (turns[i] is DmTurn { HasError: true } && turns[i - 1] is PlayerTurn)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Rule <c>too-few-refinements</c>: a completed trajectory needs at least <see cref="VerifierOptions.MinErrorRefineTurns"/> error-refine turns, else it is regenerated.</summary>
    /// <param name="turns">The verified, completed turns.</param>
    /// <param name="errorRefineTurns">Their error-refine count.</param>
    /// <returns>The issue, or <see langword="null"/>.</returns>
    protected virtual VerificationIssue? CheckRefinements(IReadOnlyList<Turn> turns, int errorRefineTurns)
    {
        return errorRefineTurns >= Options.MinErrorRefineTurns
            ? null
            : new(VerificationIssueCodes.TooFewRefinements, null,
                $"The trajectory has {errorRefineTurns} error-refine turn(s); at least {Options.MinErrorRefineTurns} are required (a DM turn that flags a parameter, place or logic error, later followed by a DM turn without one).");
    }

    /// <summary>Renders the feedback text sent back to the model with the verdict.</summary>
    /// <param name="result">The verdict (its <see cref="VerificationResult.Feedback"/> is empty here).</param>
    /// <returns>The text.</returns>
    protected virtual string RenderFeedback(VerificationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = new StringBuilder();
        switch (result.Outcome)
        {
            case VerificationOutcome.Accepted:
                return "Verification passed.";
            case VerificationOutcome.RegenerateScript:
                text.AppendLine("The script failed verification. Write the whole script again as one JSON object, fixing every problem:");
                foreach (var issue in result.Issues)
                {
                    text.Append("- [").Append(issue.Code).Append("] ").AppendLine(issue.Message);
                }

                break;
            case VerificationOutcome.Regenerate:
                var deciding = result.Issues[0];
                text.Append('[').Append(deciding.Code).Append("] ").AppendLine(deciding.Message);
                text.Append("Write a new trajectory from scratch in which the Player makes at least ")
                    .Append(Options.MinErrorRefineTurns)
                    .AppendLine(" mistakes (parameter, place or logic errors) that the DM flags and the Player then corrects before the task is completed.");
                break;
            default:
                var issueToFix = result.Issues[0];
                text.Append('[').Append(issueToFix.Code).Append("] ").AppendLine(issueToFix.Message);
                if (result.KeptTurns == 0)
                {
                    text.AppendLine("No turn could be kept. Write the trajectory from its first turn: a DM turn that gives the initial observation.");
                }
                else
                {
                    var last = result.VerifiedTurns[^1];
                    var nextRole = last.Role == TurnRole.DM ? TurnRole.Player : TurnRole.DM;
                    text.Append("The first ").Append(result.KeptTurns).Append(" turn(s) (through turn number ").Append(last.Number)
                        .Append(") are kept. Continue from there: return only the new turns, starting with turn number ")
                        .Append((long)last.Number + 1).Append(" (").Append(nextRole).AppendLine("), and end with a DM turn that sets task_completed to true.");
                }

                break;
        }

        return text.ToString().TrimEnd();
    }

    /// <summary>Shortens a quoted value from model output so that messages stay bounded.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The value in double quotes, cut to 120 characters.</returns>
    protected static string Quote(string value) => MessageText.Quote(value);

    private ScriptCheck GetScriptCheck(Script script, CancellationToken cancellationToken)
    {
        if (_scriptChecks.TryGetValue(script, out var cached))
        {
            return cached;
        }

        var check = CheckScript(script, cancellationToken);
        return _scriptChecks.GetValue(script, _ => check);
    }

    private ScriptCheck CheckScript(Script script, CancellationToken cancellationToken)
    {
        using var activity = AgentRefineTelemetry.ActivitySource.StartActivity("agentrefine.verify_script");
        var issues = new List<VerificationIssue>(CheckRequiredKeys(script));
        var compiled = new List<CompiledAction>(script.AvailableActions.Count);
        foreach (var action in script.AvailableActions)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var issue = CheckVerificationCode(action, out var regex);
            CompiledAction? compiledAction = null;
            if (issue is null)
            {
                issue = CheckPlaceholders(action, regex!, out compiledAction);
            }

            if (issue is null)
            {
                issue = CheckSelfMatch(compiledAction!);
            }

            if (issue is null)
            {
                compiled.Add(compiledAction!);
            }
            else
            {
                issues.Add(issue);
            }
        }

        issues.AddRange(CheckScriptContent(script));
        var ordered = issues.OrderBy(i => Rank(i.Code)).ToList();
        return ordered.Count == 0
            ? new ScriptCheck(Finish("script", VerificationOutcome.Accepted, [], 0, []), new CompiledScript(script, compiled))
            : new ScriptCheck(Finish("script", VerificationOutcome.RegenerateScript, [], 0, ordered), null);
    }

    private static int Rank(string code)
    {
        for (var i = 0; i < VerificationIssueCodes.All.Count; i++)
        {
            if (VerificationIssueCodes.All[i] == code)
            {
                return i;
            }
        }

        return VerificationIssueCodes.All.Count;
    }

    private VerificationResult Finish(string stage, VerificationOutcome outcome, IReadOnlyList<Turn> kept, int errorRefineTurns, List<VerificationIssue> issues)
    {
        var draft = new VerificationResult(outcome, new Trajectory(kept), errorRefineTurns, issues, string.Empty);
        var result = new VerificationResult(outcome, draft.VerifiedTurns, errorRefineTurns, issues, RenderFeedback(draft));
        var code = issues.Count > 0 ? issues[0].Code : "none";
        AgentRefineTelemetry.Verifications.Add(1, new("stage", stage), new("outcome", result.OutcomeName), new("code", code));
        Activity.Current?.SetTag("agentrefine.outcome", result.OutcomeName);
        VerifierLog.Verified(_logger, stage, result.OutcomeName, issues.Count, code, result.KeptTurns, errorRefineTurns);
        return result;
    }

    /// <summary>
    /// Compiles a verification code, reusing an earlier compilation of the same pattern (scripts share
    /// many codes; a compiled <see cref="Regex"/> is immutable and thread-safe). The cache is bounded.
    /// </summary>
    private Regex CreateRegex(string pattern, string template) =>
        _regexes.GetOrAdd(pattern, (Verifier: this, Pattern: pattern, Template: template), static s => s.Verifier.CompileRegex(s.Pattern, s.Template))!;

    private Regex CompileRegex(string pattern, string template)
    {
        const RegexOptions options = RegexOptions.CultureInvariant;
        if (Options.UseNonBacktrackingEngine)
        {
            try
            {
                return new Regex(pattern, options | RegexOptions.NonBacktracking, Options.RegexMatchTimeout);
            }
            catch (NotSupportedException exception)
            {
                VerifierLog.NonBacktrackingFallback(_logger, template, exception.Message);
            }
        }

        return AsciiPatternRegex.TryCreateWithAnchored(pattern, Options.RegexMatchTimeout) ?? new Regex(pattern, options, Options.RegexMatchTimeout);
    }

    /// <summary>The anchored form of a compiled code, cached beside it.</summary>
    private Regex? AnchorOf(Regex regex) => regex is AsciiPatternRegex { Anchored: { } anchored } ? anchored : _anchored.GetOrAdd(regex.ToString(), regex, Anchor);

    /// <summary>The code anchored to the whole input, with the same groups; <see langword="null"/> when that changes its meaning.</summary>
    private static Regex? Anchor(Regex regex)
    {
        try
        {
            var pattern = @"\A(?:" + regex + @")\z";
            var anchored = new Regex(pattern, regex.Options, regex.MatchTimeout);
            return anchored.GetGroupNumbers().SequenceEqual(regex.GetGroupNumbers()) && anchored.GetGroupNames().SequenceEqual(regex.GetGroupNames())
                ? anchored
                : null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private sealed record ScriptCheck(VerificationResult Result, CompiledScript? Compiled);
}
