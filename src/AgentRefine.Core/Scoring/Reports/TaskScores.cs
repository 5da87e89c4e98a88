namespace AgentRefine.Scoring;

/// <summary>A run's scores on one task: unweighted means over its episodes, as fractions in [0, 1].</summary>
public sealed record TaskScores
{
    /// <summary>Episodes scored.</summary>
    public int Episodes { get; init; }

    /// <summary>Success rate.</summary>
    public double Success { get; init; }

    /// <summary>Mean progress rate.</summary>
    public double Progress { get; init; }

    /// <summary>Mean grounding accuracy.</summary>
    public double Grounding { get; init; }

    /// <summary>Success rate of the <c>easy</c> episodes; <see langword="null"/> when there are none.</summary>
    public double? SuccessEasy { get; init; }

    /// <summary>Success rate of the <c>hard</c> episodes; <see langword="null"/> when there are none.</summary>
    public double? SuccessHard { get; init; }

    /// <summary>Mean progress rate of the <c>easy</c> episodes; <see langword="null"/> when there are none.</summary>
    public double? ProgressEasy { get; init; }

    /// <summary>Mean progress rate of the <c>hard</c> episodes; <see langword="null"/> when there are none.</summary>
    public double? ProgressHard { get; init; }

    /// <summary>The long-range curve: the mean progress rate reached by each step 0..29.</summary>
    public IReadOnlyList<double> LongRange { get; init; } = [];
}
