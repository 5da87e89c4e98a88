using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace AgentRefine.Diagnostics;

/// <summary>
/// The names under which the library emits traces and metrics. Subscribe with
/// <c>AddSource(AgentRefineTelemetry.Name)</c> and <c>AddMeter(AgentRefineTelemetry.Name)</c>.
/// </summary>
public static class AgentRefineTelemetry
{
    /// <summary>The name of the <see cref="ActivitySource"/> and of the <see cref="Meter"/>: <c>AgentRefine</c>.</summary>
    public const string Name = "AgentRefine";

    /// <summary>The counter of verifications, tagged <c>stage</c> (<c>script</c>/<c>trajectory</c>), <c>outcome</c> and <c>code</c> (the deciding issue).</summary>
    public const string VerificationsCounterName = "agentrefine.verifications";

    /// <summary>The counter of synthesis records produced (as each persona finishes), tagged <c>status</c> (<c>accepted</c>, <c>rejected</c>, <c>unfinished</c>).</summary>
    public const string RecordsCounterName = "agentrefine.records";

    internal static ActivitySource ActivitySource { get; } = new(Name, typeof(AgentRefineTelemetry).Assembly.GetName().Version?.ToString());

    internal static Meter Meter { get; } = new(Name, typeof(AgentRefineTelemetry).Assembly.GetName().Version?.ToString());

    internal static Counter<long> Records { get; } = Meter.CreateCounter<long>(RecordsCounterName, unit: "{record}", description: "Synthesis records produced, by status.");

    internal static Counter<long> Verifications { get; } = Meter.CreateCounter<long>(VerificationsCounterName, unit: "{verification}", description: "Scripts and trajectories verified, by outcome.");
}
