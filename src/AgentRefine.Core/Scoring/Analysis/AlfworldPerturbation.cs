using System.Text.RegularExpressions;

namespace AgentRefine.Scoring;

/// <summary>
/// The paper's Alfworld robustness perturbations, as text transformations that can be applied to
/// action templates, instructions, observations and the agent's actions alike (so an environment or a
/// prompt can be perturbed consistently). Variant 5 (retraining without in-domain data) changes the
/// model, not the text, and is not a transformation.
/// </summary>
public static partial class AlfworldPerturbation
{
    /// <summary>The text variants: 1 to 4.</summary>
    public static IReadOnlyList<int> Variants { get; } = [1, 2, 3, 4];

    /// <summary>Describes a variant.</summary>
    /// <param name="variant">1 to 4.</param>
    /// <returns>The description.</returns>
    public static string Describe(int variant) => variant switch
    {
        1 => "clean/cool/heat {obj} with {recep} → … using {recep}",
        2 => "go to {recep} → move to {recep}",
        3 => "take {obj} from {recep} → from {recep} take {obj}",
        4 => "no space between an object's name and its number (apple 1 → apple1)",
        _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, "Alfworld text perturbations are numbered 1 to 4."),
    };

    /// <summary>Applies a variant to a text (a template, an instruction, an observation or an action).</summary>
    /// <param name="variant">1 to 4.</param>
    /// <param name="text">The text.</param>
    /// <returns>The perturbed text.</returns>
    public static string Apply(int variant, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return variant switch
        {
            1 => CleanCoolHeat().Replace(text, "$1 $2 using "),
            2 => GoTo().Replace(text, "move to"),
            3 => TakeFrom().Replace(text, "from $2 take $1"),
            4 => NameNumber().Replace(text, "$1$2"),
            _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, "Alfworld text perturbations are numbered 1 to 4."),
        };
    }

    [GeneratedRegex(@"\b(clean|cool|heat) (.+?) with ")]
    private static partial Regex CleanCoolHeat();

    [GeneratedRegex(@"\bgo to\b")]
    private static partial Regex GoTo();

    [GeneratedRegex(@"\btake (.+?) from (.+?)(?=$|[.,;\n])", RegexOptions.Multiline)]
    private static partial Regex TakeFrom();

    [GeneratedRegex(@"\b([A-Za-z]+) (\d+)\b")]
    private static partial Regex NameNumber();
}
