using System.Text;
using System.Text.RegularExpressions;

namespace AgentRefine.Scoring;

/// <summary>
/// HotpotQA answer metrics with the official script's normalization: lower-case, drop ASCII
/// punctuation, drop the articles <c>a</c>, <c>an</c>, <c>the</c>, fold white space. F1 is 0 when
/// either side normalizes to <c>yes</c>, <c>no</c> or <c>noanswer</c> and the two differ.
/// </summary>
public static partial class HotpotQaMetrics
{
    private const string Punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    /// <summary>The official answer normalization.</summary>
    /// <param name="answer">The answer.</param>
    /// <returns>The normalized answer.</returns>
    public static string Normalize(string answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var lower = answer.ToLowerInvariant();
        var builder = new StringBuilder(lower.Length);
        foreach (var c in lower)
        {
            if (!Punctuation.Contains(c, StringComparison.Ordinal))
            {
                builder.Append(c);
            }
        }

        var withoutArticles = Articles().Replace(builder.ToString(), " ");
        return string.Join(' ', withoutArticles.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>Exact match after normalization.</summary>
    /// <param name="prediction">The predicted answer.</param>
    /// <param name="gold">The gold answer.</param>
    /// <returns>Whether they match.</returns>
    public static bool ExactMatch(string prediction, string gold) => string.Equals(Normalize(prediction), Normalize(gold), StringComparison.Ordinal);

    /// <summary>Token-level F1 (with precision and recall) after normalization.</summary>
    /// <param name="prediction">The predicted answer.</param>
    /// <param name="gold">The gold answer.</param>
    /// <returns>F1, precision and recall.</returns>
    public static (double F1, double Precision, double Recall) F1(string prediction, string gold)
    {
        var p = Normalize(prediction);
        var g = Normalize(gold);
        string[] special = ["yes", "no", "noanswer"];
        if ((special.Contains(p) || special.Contains(g)) && !string.Equals(p, g, StringComparison.Ordinal))
        {
            return (0, 0, 0);
        }

        var predicted = p.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var expected = g.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var counts = expected.GroupBy(t => t, StringComparer.Ordinal).ToDictionary(t => t.Key, t => t.Count(), StringComparer.Ordinal);
        var same = 0;
        foreach (var token in predicted)
        {
            if (counts.TryGetValue(token, out var left) && left > 0)
            {
                counts[token] = left - 1;
                same++;
            }
        }

        if (same == 0)
        {
            return (0, 0, 0);
        }

        var precision = (double)same / predicted.Length;
        var recall = (double)same / expected.Length;
        return (2 * precision * recall / (precision + recall), precision, recall);
    }

    /// <summary>Mean EM and F1 over the gold answers; a gold id with no prediction scores 0 (as in the official script).</summary>
    /// <param name="predictions">Predicted answers by id.</param>
    /// <param name="gold">Gold answers by id.</param>
    /// <returns>The means, the number scored, and the ids with no prediction.</returns>
    public static (double ExactMatch, double F1, int Count, IReadOnlyList<string> Missing) Evaluate(IReadOnlyDictionary<string, string> predictions, IReadOnlyDictionary<string, string> gold)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(gold);
        double em = 0, f1 = 0;
        var missing = new List<string>();
        foreach (var (id, answer) in gold)
        {
            if (!predictions.TryGetValue(id, out var predicted))
            {
                missing.Add(id);
                continue;
            }

            em += ExactMatch(predicted, answer) ? 1 : 0;
            f1 += F1(predicted, answer).F1;
        }

        return gold.Count == 0 ? (0, 0, 0, missing) : (em / gold.Count, f1 / gold.Count, gold.Count, missing);
    }

    [GeneratedRegex(@"\b(a|an|the)\b")]
    private static partial Regex Articles();
}
