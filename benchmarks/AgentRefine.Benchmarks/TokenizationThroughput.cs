using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AgentRefine.Conversion;
using AgentRefine.Tokenization;
using AgentRefine.Verification;

namespace AgentRefine.Benchmarks;

/// <summary>
/// Tokens per second of the token-level rows against Hugging Face's tokenizers.js on the same text in
/// the same run: the conversations of N records (the bundled accepted samples, cycled, each with a
/// system message naming one of the bundled personas and the record's number, so the text varies) are
/// rendered with the llama3 template; tokenizers.js encodes the rendered texts (node, one thread), and
/// the library encodes the same texts (<see cref="ModelTokenizer.Encode"/>), builds the rows with labels
/// (<see cref="ChatTemplate.Tokenize"/>), and runs the whole file path (<see cref="ChatRowTokenization"/>:
/// read, tokenize, write), each on one thread. The Llama-3 tokenizer comes from tests/.tokenizers/llama3
/// (restored by the test build) and tokenizers.js is installed into benchmarks/.node on first use.
/// </summary>
internal static class TokenizationThroughput
{
    private const string NodePackage = "@huggingface/tokenizers@0.2.0";

    public static async Task RunAsync(TextWriter output, int records)
    {
        var root = RepositoryRoot();
        var model = Path.Combine(root, "tests", ".tokenizers", "llama3");
        Run("node", [Path.Combine(root, "tests", "tools", "restore-tokenizers.mjs"), model]);
        var tools = Path.Combine(root, "benchmarks", ".node");
        if (!Directory.Exists(Path.Combine(tools, "node_modules", "@huggingface", "tokenizers")))
        {
            Run("npm", ["install", "--prefix", tools, "--no-save", "--no-package-lock", "--no-audit", "--no-fund", "--loglevel", "error", NodePackage]);
        }

        var folder = Directory.CreateTempSubdirectory("agentrefine-tokenize-bench-").FullName;
        try
        {
            var load = Stopwatch.StartNew();
            var tokenizer = ModelTokenizer.Load(model);
            var template = ChatTemplates.Create(ChatTemplates.Llama3, tokenizer);
            load.Stop();
            var conversations = Conversations(records);
            var texts = conversations.Select(template.Render).ToList();
            var textsFile = Path.Combine(folder, "texts.jsonl");
            await File.WriteAllLinesAsync(textsFile, texts.Select(t => JsonSerializer.Serialize(t))).ConfigureAwait(false);
            var chars = texts.Sum(t => (long)t.Length);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Input: {records:N0} conversations, {chars / 1e6:F1} M characters rendered (llama3); tokenizer loaded in {load.Elapsed.TotalSeconds:F2} s."));

            var reference = JsonDocument.Parse(Run("node", [Path.Combine(root, "benchmarks", "tokenizers", "hf-encode.mjs"), tools, model, textsFile])).RootElement;
            var referenceTokens = reference.GetProperty("tokens").GetInt64();
            var referenceSeconds = reference.GetProperty("seconds").GetDouble();

            // Warm-up on the first 1,000, as the reference does.
            foreach (var text in texts.Take(1000))
            {
                tokenizer.Encode(text);
            }

            var encode = Stopwatch.StartNew();
            long encoded = 0;
            foreach (var text in texts)
            {
                encoded += tokenizer.Encode(text).Count;
            }

            encode.Stop();

            var rows = Stopwatch.StartNew();
            long rowTokens = 0;
            foreach (var conversation in conversations)
            {
                rowTokens += template.Tokenize(conversation).Length;
            }

            rows.Stop();

            var input = Path.Combine(folder, "conversations.jsonl");
            await WriteOpenAIRowsAsync(input, conversations).ConfigureAwait(false);
            var file = Stopwatch.StartNew();
            var statistics = await ChatRowTokenization.RunAsync(input, Path.Combine(folder, "tokens.jsonl"), template).ConfigureAwait(false);
            file.Stop();

            if (encoded != referenceTokens || rowTokens != referenceTokens || statistics.Tokens != referenceTokens)
            {
                throw new InvalidOperationException($"Token counts differ: tokenizers.js {referenceTokens}, Encode {encoded}, Tokenize {rowTokens}, file {statistics.Tokens}.");
            }

            var referenceRate = referenceTokens / referenceSeconds;
            output.WriteLine("| pass (one thread) | seconds | tokens/s | × tokenizers.js |");
            output.WriteLine("|---|---:|---:|---:|");
            Row(output, "tokenizers.js encode (node)", referenceSeconds, referenceTokens, referenceRate);
            Row(output, "ModelTokenizer.Encode (same texts)", encode.Elapsed.TotalSeconds, encoded, referenceRate);
            Row(output, "ChatTemplate.Tokenize (ids + labels)", rows.Elapsed.TotalSeconds, rowTokens, referenceRate);
            Row(output, "ChatRowTokenization (read, tokenize, write)", file.Elapsed.TotalSeconds, statistics.Tokens, referenceRate);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Tokens: {referenceTokens:N0} ({statistics.TrainedTokens:N0} trained), identical counts on all passes; output {statistics.BytesOut / 1e6:F0} MB."));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void Row(TextWriter output, string pass, double seconds, long tokens, double referenceRate) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {pass} | {seconds:F2} | {tokens / seconds:N0} | {tokens / seconds / referenceRate:F1} |"));

    private static List<TrainingConversation> Conversations(int records)
    {
        var samples = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "samples", "records.jsonl"))
            .Where(l => l.Contains("\"status\":\"accepted\"", StringComparison.Ordinal))
            .Take(2)
            .ToArray();
        var personas = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "samples", "personas.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("persona").GetString()!)
            .ToArray();
        var converter = new RefinementTuningConverter(new VerifierFactory());
        var bases = samples.Select(line =>
        {
            var record = Synthesis.SynthesisRecordReader.Parse(System.Text.Encoding.UTF8.GetBytes(line), "records.jsonl").Record!;
            return converter.Convert(record).Conversation!;
        }).ToArray();
        var conversations = new List<TrainingConversation>(records);
        for (var i = 0; i < records; i++)
        {
            var conversation = bases[i % bases.Length];
            var system = new TrainingMessage(TrainingRole.System, string.Create(CultureInfo.InvariantCulture, $"You are helping {personas[i % personas.Length]} (record {i})."), false, []);
            conversations.Add(new TrainingConversation(i.ToString("x32", CultureInfo.InvariantCulture), [system, .. conversation.Messages]));
        }

        return conversations;
    }

    private static async Task WriteOpenAIRowsAsync(string path, List<TrainingConversation> conversations)
    {
        await using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        await using var writer = new Utf8JsonWriter(stream);
        foreach (var conversation in conversations)
        {
            writer.Reset();
            writer.WriteStartObject();
            writer.WriteString("id", conversation.Id);
            writer.WriteStartArray("messages");
            foreach (var message in conversation.Messages)
            {
                writer.WriteStartObject();
                writer.WriteString("role", message.Role.ToString().ToLowerInvariant());
                writer.WriteString("content", message.Content);
                if (message.Role == TrainingRole.Assistant)
                {
                    writer.WriteNumber("weight", message.Train ? 1 : 0);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            await writer.FlushAsync().ConfigureAwait(false);
            stream.WriteByte((byte)'\n');
        }
    }

    private static string Run(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? text : throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}.");
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "AgentRefine.Core.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (AgentRefine.Core.sln) is not above the benchmark.");
    }
}
