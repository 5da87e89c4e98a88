using AgentRefine.Benchmarks;

// Usage: dotnet run -c Release --project benchmarks/AgentRefine.Benchmarks -- [synthesis]
var which = args.Length > 0 ? args[0] : "synthesis";
switch (which)
{
    case "synthesis":
        await SynthesisThroughput.RunAsync(Console.Out);
        return 0;
    default:
        Console.Error.WriteLine($"Unknown benchmark '{which}'. Available: synthesis.");
        return 2;
}
