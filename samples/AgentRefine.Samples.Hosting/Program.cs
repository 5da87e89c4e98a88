using System.Globalization;
using AgentRefine;
using AgentRefine.Conversion;
using AgentRefine.Llm;
using AgentRefine.Personas;
using AgentRefine.Samples.Hosting;
using AgentRefine.Synthesis;
using AgentRefine.Verification;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

// The intended composition: options from appsettings.json, one OpenAI-compatible model for both LLM
// roles (Model:RoleModels gives a role its own model, e.g. "trajectory": "..."), a stricter verifier,
// synthesis → conversion (each record verified again under the settings it was accepted under).
//
// appsettings.json is read from beside the program (the content root), so the sample finds it from
// any folder; the paths in it (the persona file, the outputs) are relative to the current folder,
// the repository root when run as the README says.
const string Name = "AgentRefine.Samples.Hosting";
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
builder.Services.Configure<AgentRefineOptions>(builder.Configuration.GetSection("AgentRefine"));
// A stricter verifier for synthesis and conversion alike: AddAgentRefine makes this type for each
// settings (the configured ones, or those a record was accepted under), passing them to its constructor.
builder.Services.AddSingleton<IVerifier, NoEnvironmentLeakVerifier>();
builder.Services.AddAgentRefine();
var model = builder.Configuration.GetSection("Model");
if (!Uri.TryCreate(model["Endpoint"], UriKind.Absolute, out var endpoint) || string.IsNullOrWhiteSpace(model["Name"]))
{
    Console.Error.WriteLine($"{Name}: set Model:Endpoint (an http or https address) and Model:Name in appsettings.json or on the command line (--Model:Endpoint http://localhost:8000/v1).");
    return 2;
}

builder.Services.AddAgentRefineOpenAI(o =>
{
    o.Endpoint = endpoint;
    o.Model = model["Name"];
    o.ApiKeyEnvironmentVariable = model["ApiKeyEnvironmentVariable"] ?? o.ApiKeyEnvironmentVariable;
    foreach (var role in model.GetSection("RoleModels").GetChildren())
    {
        o.RoleModels[role.Key] = role.Value!;
    }
},
pipeline => pipeline.UseAgentRefine()); // cache, telemetry, retries, rate limits and time budget on every role's client

using var host = builder.Build();
var personaFile = host.Services.GetRequiredService<IOptions<AgentRefineOptions>>().Value.Personas.Path;
if (string.IsNullOrWhiteSpace(personaFile) || !File.Exists(personaFile))
{
    var named = string.IsNullOrWhiteSpace(personaFile) ? "no persona file is set" : $"the persona file '{Path.GetFullPath(personaFile)}' does not exist";
    Console.Error.WriteLine($"{Name}: {named}: run from the repository root (as the README says), or pass --AgentRefine:Personas:Path FILE.");
    return 2;
}

var output = Path.GetFullPath(builder.Configuration["Sample:OutputDirectory"] ?? "agentrefine-hosting");
Directory.CreateDirectory(output);
var records = Path.Combine(output, "records.jsonl");
var rejected = Path.Combine(output, "rejected.jsonl");
var dataset = Path.Combine(output, "train.jsonl");

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true; // stop after the records in flight; every finished record is on disk
    cancel.Cancel();
};

var c = CultureInfo.InvariantCulture;
SynthesisStatistics synthesis;
await using (var store = await JsonlRecordStore.OpenAsync(records, rejected, cancel.Token))
{
    try
    {
        var personas = host.Services.GetRequiredService<IPersonaSource>().ReadAsync(cancel.Token);
        synthesis = await host.Services.GetRequiredService<SynthesisPipeline>().RunAsync(personas, store, cancellationToken: cancel.Token);
    }
    catch (Exception exception) when (exception is LlmTransportException or HttpRequestException)
    {
        // The library stops at once when the server is not there (or answers 401, 403, 404).
        Console.Error.WriteLine($"{Name}: synthesis stopped: {exception.Message} (Model:Endpoint is {endpoint}; start the server or point Model:Endpoint at it.)");
        return 1;
    }
    catch (InvalidDataException exception)
    {
        Console.Error.WriteLine($"{Name}: {exception.Message}");
        return 2;
    }
}

var reasons = synthesis.RejectedByReason.Count == 0 ? "" : " (" + string.Join(", ", synthesis.RejectedByReason.Select(r => string.Create(c, $"{r.Key} {r.Value}"))) + ")";
Console.WriteLine(string.Create(c, $"Synthesis{(synthesis.Interrupted ? " (interrupted)" : "")}: {synthesis.Accepted} accepted, {synthesis.Rejected} rejected{reasons}, {synthesis.Skipped} already on disk, {synthesis.Unfinished} unfinished; {synthesis.Calls} LLM calls ({synthesis.CallsPerAccepted:F2} per accepted record, {synthesis.CachedCalls} from the cache) in {synthesis.Elapsed.TotalSeconds:F1} s."));
Console.WriteLine($"  records:  {records}");
Console.WriteLine($"  rejected: {rejected}");
if (synthesis.Interrupted)
{
    return 1;
}

await using (var writer = TrainingDatasetWriters.Create("ms-swift", dataset))
{
    var conversion = await DatasetConversion.RunAsync(records, host.Services.GetRequiredService<RefinementTuningConverter>(), writer, cancellationToken: cancel.Token);
    var skipped = conversion.SkippedByReason.Count == 0 ? "" : " (" + string.Join(", ", conversion.SkippedByReason.Select(r => string.Create(c, $"{r.Key} {r.Value}"))) + ")";
    Console.WriteLine(string.Create(c, $"Conversion (ms-swift): {conversion.Conversations} conversations from {conversion.RecordsIn} records, {conversion.TrainedTurns} trained and {conversion.MaskedTurns} masked turns, {conversion.SkippedByReason.Values.Sum()} skipped{skipped}."));
    Console.WriteLine($"  dataset:  {dataset}");
}

if (synthesis.Unfinished > 0)
{
    Console.Error.WriteLine($"{Name}: {synthesis.Unfinished} personas were left unfinished because model calls kept failing; run again to retry them.");
    return 1;
}

return 0;
