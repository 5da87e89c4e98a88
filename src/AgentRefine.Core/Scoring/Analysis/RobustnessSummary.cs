namespace AgentRefine.Scoring;

/// <summary>
/// A run's robustness summary over the variants of an environment (the original and its
/// perturbations): the success and progress of each variant, their mean, and their **population**
/// standard deviation (divided by n, as the paper's AgentRefine row reproduces: 3.73).
/// </summary>
/// <param name="Variants">Per variant (in order): its label, success rate and progress rate, in percent.</param>
public sealed record RobustnessSummary(IReadOnlyList<(string Variant, double Success, double Progress)> Variants)
{
    /// <summary>The mean success rate over the variants.</summary>
    public double SuccessMean => Variants.Average(v => v.Success);

    /// <summary>The mean progress rate over the variants.</summary>
    public double ProgressMean => Variants.Average(v => v.Progress);

    /// <summary>The population standard deviation of the success rates.</summary>
    public double SuccessStandardDeviation => PopulationStandardDeviation(Variants.Select(v => v.Success).ToArray());

    /// <summary>The population standard deviation of the progress rates.</summary>
    public double ProgressStandardDeviation => PopulationStandardDeviation(Variants.Select(v => v.Progress).ToArray());

    /// <summary>The population standard deviation (divided by n).</summary>
    /// <param name="values">The values.</param>
    /// <returns>The standard deviation; 0 for fewer than two values.</returns>
    public static double PopulationStandardDeviation(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count < 2)
        {
            return 0;
        }

        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count);
    }
}
