using System.Globalization;
using AgentRefine.Benchmarks;

// Usage: dotnet run -c Release --project benchmarks/AgentRefine.Benchmarks -- <benchmark> [arguments]
//   synthesis                       throughput against a fixed-latency model
//   synthesis-fsync [records] [dir] records/s with and without a flush to disk per record (default 2000, the temp folder)
//   synthesis-one <host|bare|host-memory-cache|host-no-cache> [concurrency] [records] [latency ms] [repeats]
//                                   one synthesis configuration, repeated, for a profiler (default 8 4000 0 1);
//                                   host-memory-cache / host-no-cache take the host pipeline apart
//   conversion [records] [format]   verify + convert throughput against a Utf8JsonReader floor (default 100000 ms-swift)
//   conversion-memory <records> [format] [jsonl|parquet]
//                                   peak memory converting <records> records (default ms-swift, jsonl; run once per size)
//   score-episodes <count> <path>   write a generated episodes file (for timing the real tool)
//   score-memory <count> [format]   peak memory and time of `agentrefine score` in process (run once per size)
//   tokenize [records]              llama3 token rows: tokens/s against Hugging Face's tokenizers.js (node) on the same text (default 100000)
//   evaluation                      agent runner CPU per step (zero latency) and throughput vs concurrency / latency
//   peer [records] [--repeats N] [--input file] [--tool agentrefine.dll] [-- convert options]
//                                   `agentrefine convert --format openai` (published ReadyToRun unless --tool) against the Python peer, process to process (default 50000, 3 repeats)
//   realistic-records <count> <path> write a generated file of realistic records (every script distinct)
var which = args.Length > 0 ? args[0] : "synthesis";
switch (which)
{
    case "synthesis":
        await SynthesisThroughput.RunAsync(Console.Out);
        return 0;
    case "synthesis-fsync":
        await SynthesisThroughput.FsyncAsync(Console.Out, args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2_000, args.Length > 2 ? args[2] : null);
        return 0;
    case "synthesis-one" when args.Length > 1:
        await SynthesisThroughput.OneAsync(
            Console.Out,
            args[1],
            args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 8,
            args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 4_000,
            args.Length > 4 ? double.Parse(args[4], CultureInfo.InvariantCulture) : 0,
            args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 1);
        return 0;
    case "conversion":
        await ConversionThroughput.RunAsync(Console.Out, args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000, args.Length > 2 ? args[2] : "ms-swift");
        return 0;
    case "conversion-memory" when args.Length > 1:
        await ConversionThroughput.MemoryAsync(Console.Out, int.Parse(args[1], CultureInfo.InvariantCulture), args.Length > 2 ? args[2] : "ms-swift", args.Length > 3 ? args[3] : "jsonl");
        return 0;
    case "score-episodes" when args.Length > 2:
        await ScoringMemory.GenerateAsync(Console.Out, int.Parse(args[1], CultureInfo.InvariantCulture), args[2]);
        return 0;
    case "score-memory" when args.Length > 1:
        await ScoringMemory.MemoryAsync(Console.Out, int.Parse(args[1], CultureInfo.InvariantCulture), args.Length > 2 ? args[2] : "markdown");
        return 0;
    case "tokenize":
        await TokenizationThroughput.RunAsync(Console.Out, args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000);
        return 0;
    case "evaluation":
        await EvaluationThroughput.RunAsync(Console.Out);
        return 0;
    case "peer":
        return await PeerComparison.RunAsync(Console.Out, args[1..]);
    case "realistic-records" when args.Length > 2:
        await PeerComparison.GenerateAsync(Console.Out, int.Parse(args[1], CultureInfo.InvariantCulture), args[2]);
        return 0;
    default:
        Console.Error.WriteLine($"Unknown benchmark '{which}'. Available: synthesis, synthesis-fsync [records] [dir], synthesis-one <host|bare|host-memory-cache|host-no-cache> [concurrency] [records] [latency ms] [repeats], conversion [records] [format], conversion-memory <records> [format] [jsonl|parquet], score-episodes <count> <path>, score-memory <count> [format], tokenize [records], evaluation, peer [records] [--repeats N] [--input file], realistic-records <count> <path>.");
        return 2;
}
