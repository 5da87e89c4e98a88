using AgentRefine;
using AgentRefine.Conversion;
using AgentRefine.Llm;
using AgentRefine.Personas;
using AgentRefine.Samples.Hosting;
using AgentRefine.Synthesis;
using AgentRefine.Verification;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

// The intended composition: options from appsettings.json, one OpenAI-compatible model for both LLM
// roles (register different ones per role the same way), a stricter verifier, synthesis → conversion
// (each record verified again under the settings it was accepted under).
var builder = Host.CreateApplicationBuilder(args);
builder.Services.Configure<AgentRefineOptions>(builder.Configuration.GetSection("AgentRefine"));
// A stricter verifier for synthesis and conversion alike: the factory makes one per settings (the
// configured ones, or those a record was accepted under); registered first, it wins over the default (TryAdd).
builder.Services.AddSingleton<IVerifierFactory>(services => new VerifierFactory(
    services.GetRequiredService<IOptions<AgentRefineOptions>>().Value.Verification,
    settings => new NoEnvironmentLeakVerifier(settings)));
builder.Services.AddAgentRefine();
var model = builder.Configuration.GetSection("Model");
foreach (var role in new[] { AgentRefineChatRoles.Script, AgentRefineChatRoles.Trajectory })
{
    builder.Services.AddAgentRefineOpenAI(o => { o.Endpoint = new Uri(model["Endpoint"]!); o.Model = model["Name"]; o.ApiKeyEnvironmentVariable = model["ApiKeyEnvironmentVariable"]!; }, role);
}

using var host = builder.Build();
await using (var store = await JsonlRecordStore.OpenAsync("records.jsonl", "rejected.jsonl"))
{
    var personas = host.Services.GetRequiredService<IPersonaSource>().ReadAsync();
    Console.WriteLine(await host.Services.GetRequiredService<SynthesisPipeline>().RunAsync(personas, store));
}

await using var writer = TrainingDatasetWriters.Create("ms-swift", "train.jsonl");
Console.WriteLine(await DatasetConversion.RunAsync("records.jsonl", host.Services.GetRequiredService<RefinementTuningConverter>(), writer));
