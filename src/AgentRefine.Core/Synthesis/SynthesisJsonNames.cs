namespace AgentRefine.Synthesis;

/// <summary>The JSON spellings of the record's enumerations, written and read in one place.</summary>
internal static class SynthesisJsonNames
{
    public static string Of(SynthesisStage stage) => stage switch
    {
        SynthesisStage.Script => "script",
        SynthesisStage.Trajectory => "trajectory",
        _ => "call",
    };

    public static string Of(SynthesisStatus status) => status switch
    {
        SynthesisStatus.Accepted => "accepted",
        SynthesisStatus.Rejected => "rejected",
        _ => "unfinished",
    };

    /// <summary>Reads a stage name (case-insensitive).</summary>
    public static bool TryParse(string name, out SynthesisStage stage)
    {
        foreach (var candidate in (ReadOnlySpan<SynthesisStage>)[SynthesisStage.Script, SynthesisStage.Trajectory, SynthesisStage.Call])
        {
            if (string.Equals(name, Of(candidate), StringComparison.OrdinalIgnoreCase))
            {
                stage = candidate;
                return true;
            }
        }

        stage = default;
        return false;
    }

    /// <summary>Reads a status name (case-insensitive).</summary>
    public static bool TryParse(string name, out SynthesisStatus status)
    {
        foreach (var candidate in (ReadOnlySpan<SynthesisStatus>)[SynthesisStatus.Accepted, SynthesisStatus.Rejected, SynthesisStatus.Unfinished])
        {
            if (string.Equals(name, Of(candidate), StringComparison.OrdinalIgnoreCase))
            {
                status = candidate;
                return true;
            }
        }

        status = default;
        return false;
    }
}
