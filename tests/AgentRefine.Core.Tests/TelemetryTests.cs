namespace AgentRefine.Core.Tests;

/// <summary>Tests that listen to the process-wide <c>AgentRefine</c> ActivitySource and Meter run one at a time, so no test sees another's spans.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryTests
{
    public const string Name = "telemetry";
}
