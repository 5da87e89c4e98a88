using AgentRefine;
using AgentRefine.Conversion;
using AgentRefine.Llm;
using AgentRefine.Personas;
using AgentRefine.Samples.Hosting;
using AgentRefine.Synthesis;
using AgentRefine.Verification;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// The intended composition: options from appsettings.json, one OpenAI-compatible model for both LLM
// roles (Model:RoleModels gives a role its own model, e.g. "trajectory": "..."), a stricter verifier,
// synthesis → conversion (each record verified again under the settings it was accepted under).
var builder = Host.CreateApplicationBuilder(args);
builder.Services.Configure<AgentRefineOptions>(builder.Configuration.GetSection("AgentRefine"));
// A stricter verifier for synthesis and conversion alike: AddAgentRefine makes this type for each
// settings (the configured ones, or those a record was accepted under), passing them to its constructor.
builder.Services.AddSingleton<IVerifier, NoEnvironmentLeakVerifier>();
builder.Services.AddAgentRefine();
var model = builder.Configuration.GetSection("Model");
builder.Services.AddAgentRefineOpenAI(o =>
{
    o.Endpoint = new Uri(model["Endpoint"]!);
    o.Model = model["Name"];
    o.ApiKeyEnvironmentVariable = model["ApiKeyEnvironmentVariable"]!;
    foreach (var role in model.GetSection("RoleModels").GetChildren())
    {
        o.RoleModels[role.Key] = role.Value!;
    }
},
pipeline => pipeline.UseAgentRefine()); // cache, telemetry, retries, rate limits and time budget on every role's client

using var host = builder.Build();
await using (var store = await JsonlRecordStore.OpenAsync("records.jsonl", "rejected.jsonl"))
{
    var personas = host.Services.GetRequiredService<IPersonaSource>().ReadAsync();
    Console.WriteLine(await host.Services.GetRequiredService<SynthesisPipeline>().RunAsync(personas, store));
}

await using var writer = TrainingDatasetWriters.Create("ms-swift", "train.jsonl");
Console.WriteLine(await DatasetConversion.RunAsync("records.jsonl", host.Services.GetRequiredService<RefinementTuningConverter>(), writer));
