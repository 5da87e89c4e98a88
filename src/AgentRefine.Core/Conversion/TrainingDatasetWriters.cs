namespace AgentRefine.Conversion;

/// <summary>The built-in dataset formats, by name.</summary>
public static class TrainingDatasetWriters
{
    /// <summary>Every built-in format's name.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        AgentGymDatasetWriter.Name, MsSwiftDatasetWriter.Name, OpenAIDatasetWriter.Name,
        AxolotlDatasetWriter.Name, LlamaFactoryDatasetWriter.Name, LlamaFactoryV1DatasetWriter.Name,
    ];

    /// <summary>The formats whose trainers honour the per-turn mask (every built-in one but <c>agentgym</c>, whose <c>BCTrainer</c> ignores <c>loss</c>).</summary>
    public static IReadOnlyList<string> MaskHonouringNames { get; } =
    [
        MsSwiftDatasetWriter.Name, AxolotlDatasetWriter.Name, LlamaFactoryDatasetWriter.Name, LlamaFactoryV1DatasetWriter.Name, OpenAIDatasetWriter.Name,
    ];

    /// <summary>Creates the writer of a format (JSON Lines, a JSON array for <c>agentgym</c>, Parquet for a <c>.parquet</c> path; no eval split).</summary>
    /// <param name="name">The format's name (see <see cref="Names"/>).</param>
    /// <param name="path">The dataset file (replaced if it exists).</param>
    /// <returns>The writer.</returns>
    /// <exception cref="ArgumentException">The name is not a built-in format.</exception>
    public static ITrainingDatasetWriter Create(string name, string path) => Create(name, path, null);

    /// <summary>Creates the writer of a format.</summary>
    /// <param name="name">The format's name (see <see cref="Names"/>).</param>
    /// <param name="path">The dataset (train) file (replaced if it exists).</param>
    /// <param name="options">The container, the eval split and format settings; defaults when <see langword="null"/>.</param>
    /// <returns>The writer.</returns>
    /// <exception cref="ArgumentException">The name is not a built-in format, or an option does not apply (Parquet for <c>agentgym</c>).</exception>
    public static ITrainingDatasetWriter Create(string name, string path, DatasetWriterOptions? options) => name switch
    {
        AgentGymDatasetWriter.Name => new AgentGymDatasetWriter(path, options),
        MsSwiftDatasetWriter.Name => new MsSwiftDatasetWriter(path, options),
        OpenAIDatasetWriter.Name => new OpenAIDatasetWriter(path, options),
        AxolotlDatasetWriter.Name => new AxolotlDatasetWriter(path, options),
        LlamaFactoryDatasetWriter.Name => new LlamaFactoryDatasetWriter(path, options),
        LlamaFactoryV1DatasetWriter.Name => new LlamaFactoryV1DatasetWriter(path, options),
        _ => throw new ArgumentException($"Unknown dataset format '{name}'; known formats: {string.Join(", ", Names)}.", nameof(name)),
    };

    /// <summary>The file extension of a format's default container: <c>.json</c> for <c>agentgym</c> (a JSON array), <c>.jsonl</c> for the others.</summary>
    /// <param name="name">The format's name.</param>
    /// <returns>The extension, with its dot.</returns>
    public static string DefaultExtension(string name) => name == AgentGymDatasetWriter.Name ? ".json" : ".jsonl";
}
