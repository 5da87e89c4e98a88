using Microsoft.Extensions.Logging;

namespace AgentRefine.Synthesis;

/// <summary>The log events of <see cref="PersonaSynthesizer"/> (2001–2003) and <see cref="SynthesisRun"/> (2004–2005).</summary>
internal static partial class SynthesisLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "Persona {Source}: {Stage} attempt {Attempt} → {Outcome} ({Code})")]
    public static partial void Verdict(ILogger logger, string source, string stage, int attempt, string outcome, string code);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Persona {Source} {Status} after {Calls} calls (record {Id})")]
    public static partial void Finished(ILogger logger, string source, string status, int calls, string id);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Persona {Source}: {Stage} call {Attempt} failed after its retries: {Reason}")]
    public static partial void CallFailed(ILogger logger, string source, string stage, int attempt, string reason);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "Synthesis run finished: {Written} written ({Accepted} accepted, {Rejected} rejected), {Skipped} skipped, interrupted: {Interrupted}")]
    public static partial void RunFinished(ILogger logger, int written, int accepted, int rejected, int skipped, bool interrupted);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Error, Message = "Synthesis run stopped by a failure that retrying cannot fix: {Reason}")]
    public static partial void RunFailed(ILogger logger, string reason);
}
