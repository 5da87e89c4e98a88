namespace AgentRefine.Conversion;

/// <summary>How a dataset writer lays out its file and whether it holds out an eval split (CLI: <c>convert</c>'s <c>--eval-fraction</c>, <c>--seed</c>, <c>--eval-output</c>, <c>--agentgym-jsonl</c>, <c>--template</c>, <c>--model</c>).</summary>
public sealed class DatasetWriterOptions
{
    /// <summary>
    /// The file container. Default <see langword="null"/>: <see cref="DatasetContainer.Parquet"/> when the path ends
    /// with <c>.parquet</c>, else the format's own default (<see cref="DatasetContainer.JsonArray"/> for
    /// <c>agentgym</c>, <see cref="DatasetContainer.JsonLines"/> for the others).
    /// </summary>
    public DatasetContainer? Container { get; set; }

    /// <summary>
    /// The share of trajectories held out in the eval file, in [0, 1). Default 0: no eval file. Whole
    /// conversations are assigned (for LLaMA-Factory's one-sample-per-turn rows, every prefix of a trajectory
    /// lands on the same side), by <see cref="DatasetSplit.IsEval"/> of the record id and <see cref="Seed"/>.
    /// </summary>
    public double EvalFraction { get; set; }

    /// <summary>The seed of the split (see <see cref="DatasetSplit.IsEval"/>). Default 0.</summary>
    public int Seed { get; set; }

    /// <summary>The eval file. Default <see langword="null"/>: <see cref="DatasetSplit.EvalPath"/> of the dataset path (<c>train.jsonl</c> → <c>train.eval.jsonl</c>).</summary>
    public string? EvalPath { get; set; }

    /// <summary>What the LLaMA-Factory (stable engine) writer puts in its training-arguments YAML. Ignored by the other formats.</summary>
    public LlamaFactoryTrainingOptions LlamaFactory { get; set; } = new();

    /// <summary>Whether an eval file is written.</summary>
    public bool HasEvalSplit => EvalFraction > 0;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> or <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (double.IsNaN(EvalFraction) || EvalFraction < 0 || EvalFraction >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(EvalFraction), EvalFraction, "The eval fraction must be at least 0 and less than 1.");
        }

        if (Container is { } container && !Enum.IsDefined(container))
        {
            throw new ArgumentOutOfRangeException(nameof(Container), container, "Unknown dataset container.");
        }

        if (EvalPath is not null && !HasEvalSplit)
        {
            throw new ArgumentException("An eval path is given but the eval fraction is 0: set EvalFraction above 0, or drop EvalPath.", nameof(EvalPath));
        }

        ArgumentNullException.ThrowIfNull(LlamaFactory, nameof(LlamaFactory));
        LlamaFactory.Validate();
    }
}
