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

    /// <summary>Creates the writer of a format.</summary>
    /// <param name="name">The format's name (see <see cref="Names"/>).</param>
    /// <param name="path">The dataset file (replaced if it exists).</param>
    /// <returns>The writer.</returns>
    /// <exception cref="ArgumentException">The name is not a built-in format.</exception>
    public static ITrainingDatasetWriter Create(string name, string path) => name switch
    {
        AgentGymDatasetWriter.Name => new AgentGymDatasetWriter(path),
        MsSwiftDatasetWriter.Name => new MsSwiftDatasetWriter(path),
        OpenAIDatasetWriter.Name => new OpenAIDatasetWriter(path),
        AxolotlDatasetWriter.Name => new AxolotlDatasetWriter(path),
        LlamaFactoryDatasetWriter.Name => new LlamaFactoryDatasetWriter(path),
        LlamaFactoryV1DatasetWriter.Name => new LlamaFactoryV1DatasetWriter(path),
        _ => throw new ArgumentException($"Unknown dataset format '{name}'; known formats: {string.Join(", ", Names)}.", nameof(name)),
    };
}
