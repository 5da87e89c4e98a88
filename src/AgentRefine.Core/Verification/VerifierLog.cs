using Microsoft.Extensions.Logging;

namespace AgentRefine.Verification;

/// <summary>The verifier's log events.</summary>
internal static partial class VerifierLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "Verified {Stage}: {Outcome} ({IssueCount} issues, deciding code {Code}, {KeptTurns} turns kept, {ErrorRefineTurns} error-refine turns)")]
    public static partial void Verified(ILogger logger, string stage, string outcome, int issueCount, string code, int keptTurns, int errorRefineTurns);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Debug, Message = "Verification code of action '{Template}' falls back to the backtracking engine: {Reason}")]
    public static partial void NonBacktrackingFallback(ILogger logger, string template, string reason);
}
