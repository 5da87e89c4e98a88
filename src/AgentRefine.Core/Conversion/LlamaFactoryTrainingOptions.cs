namespace AgentRefine.Conversion;

/// <summary>
/// What <see cref="LlamaFactoryDatasetWriter"/> puts in the training-arguments YAML it writes beside the dataset
/// (<c>llamafactory-cli train &lt;yaml&gt;</c>). The one-sample-per-trained-turn rows are exact only under
/// <c>mask_history: true</c>, a training argument the dataset cannot carry; the YAML carries it.
/// </summary>
public sealed class LlamaFactoryTrainingOptions
{
    /// <summary>The default <see cref="Template"/>: <c>llama3</c> (Llama-3-Instruct, the paper's base model).</summary>
    public const string DefaultTemplate = "llama3";

    /// <summary>The default <see cref="ModelNameOrPath"/>: <c>meta-llama/Meta-Llama-3-8B-Instruct</c>.</summary>
    public const string DefaultModel = "meta-llama/Meta-Llama-3-8B-Instruct";

    /// <summary>
    /// The templates of LLaMA-Factory's registry (<c>src/llamafactory/data/template.py</c>, 22 of 126 at commit
    /// ff6d4d12e) registered with <c>efficient_eos=True</c>. Their encoder (<c>data/processor/supervised.py</c>)
    /// labels the EOS that ends each earlier assistant turn, also under <c>mask_history</c>: a sample then trains
    /// a stop after history turns that are otherwise masked, mistaken ones included.
    /// </summary>
    public static IReadOnlySet<string> EfficientEosTemplates { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "aeva", "bailing", "bailing_v2", "breeze", "chatglm3", "dots_ocr", "falcon", "fewshot", "gemma2", "glm4",
        "glm4_5v", "glm4_7", "glm4_moe", "glm4v", "glm_ocr", "glmz1", "gpt_oss", "hy_dense_1_8b", "hy_dense_7b",
        "index", "solar", "yi_vl",
    };

    /// <summary>LLaMA-Factory's chat template (<c>template:</c>), a name from its registry. Default <see cref="DefaultTemplate"/>.</summary>
    public string Template { get; set; } = DefaultTemplate;

    /// <summary>The model to fine-tune (<c>model_name_or_path:</c>), a Hugging Face id or a local folder. Default <see cref="DefaultModel"/>.</summary>
    public string ModelNameOrPath { get; set; } = DefaultModel;

    /// <summary>Where checkpoints go (<c>output_dir:</c>). Default <see langword="null"/>: <c>saves/&lt;dataset name&gt;</c>, relative to where <c>llamafactory-cli</c> runs.</summary>
    public string? OutputDir { get; set; }

    /// <summary>Whether <see cref="Template"/> is one of the <see cref="EfficientEosTemplates"/>.</summary>
    public bool HasEfficientEos => EfficientEosTemplates.Contains(Template);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first empty setting.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Template, nameof(Template));
        ArgumentException.ThrowIfNullOrWhiteSpace(ModelNameOrPath, nameof(ModelNameOrPath));
        if (OutputDir is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(OutputDir, nameof(OutputDir));
        }
    }
}
