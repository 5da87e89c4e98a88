namespace AgentRefine.Synthesis;

/// <summary>What a run produced and what it cost. Averages are over the accepted records written in the run.</summary>
public sealed record SynthesisStatistics
{
    /// <summary>Records written in this run.</summary>
    public int Written { get; init; }

    /// <summary>Accepted records written.</summary>
    public int Accepted { get; init; }

    /// <summary>Rejected records written.</summary>
    public int Rejected { get; init; }

    /// <summary>Personas left unfinished because model calls kept failing in transport; not stored, retried by the next run.</summary>
    public int Unfinished { get; init; }

    /// <summary>Personas skipped because their record was already stored (resume).</summary>
    public int Skipped { get; init; }

    /// <summary>Rejected records by reason (the deciding code of their last verdict).</summary>
    public IReadOnlyDictionary<string, int> RejectedByReason { get; init; } = new Dictionary<string, int>();

    /// <summary>LLM generations made.</summary>
    public int Calls { get; init; }

    /// <summary>Transport retries made, those of calls that finally failed included.</summary>
    public int Retries { get; init; }

    /// <summary>Generations whose call failed after its transport retries.</summary>
    public int FailedCalls { get; init; }

    /// <summary>The last error of each kind of failed call (<c>HTTP 503</c>, <c>unreachable</c>, <c>timeout</c>, ...), by kind.</summary>
    public IReadOnlyDictionary<string, string> LastErrorByKind { get; init; } = new Dictionary<string, string>();

    /// <summary>Calls answered by the response cache.</summary>
    public int CachedCalls { get; init; }

    /// <summary>Tokens used.</summary>
    public TokenUsage Usage { get; init; } = TokenUsage.Zero;

    /// <summary>Calls per accepted record (all calls of the run, rejected personas' included); 0 when none accepted.</summary>
    public double CallsPerAccepted => Accepted == 0 ? 0 : (double)Calls / Accepted;

    /// <summary>Tokens per accepted record (all tokens of the run); 0 when none accepted.</summary>
    public double TokensPerAccepted => Accepted == 0 ? 0 : (double)Usage.TotalTokens / Accepted;

    /// <summary>The share of written records that were accepted.</summary>
    public double AcceptanceRate => Written == 0 ? 0 : (double)Accepted / Written;

    /// <summary>Mean number of turns of the accepted trajectories.</summary>
    public double AverageTurns { get; init; }

    /// <summary>Mean number of error-refine turns of the accepted trajectories.</summary>
    public double AverageErrorRefineTurns { get; init; }

    /// <summary>DM error flags over the accepted trajectories: <c>parameter_error</c>, <c>place_error</c>, <c>logic_error</c>.</summary>
    public IReadOnlyDictionary<string, int> ErrorTypes { get; init; } = new Dictionary<string, int>();

    /// <summary>How long the run took.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>Whether the run was cancelled before every persona was done (what finished is on disk).</summary>
    public bool Interrupted { get; init; }
}
