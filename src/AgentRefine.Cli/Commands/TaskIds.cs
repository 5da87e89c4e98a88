using System.Globalization;

namespace AgentRefine.Cli.Commands;

/// <summary>Parses <c>--ids</c>: comma-separated indices and inclusive ranges (<c>0-39</c>, <c>0,3,5-9</c>), in the order given, duplicates once.</summary>
internal static class TaskIds
{
    /// <summary>The most task indices one run takes.</summary>
    public const int MaxCount = 1_000_000;

    /// <summary>The indices, or <see langword="null"/> with <paramref name="problem"/> saying why.</summary>
    public static IReadOnlyList<long>? Parse(string text, out string? problem)
    {
        problem = null;
        var ids = new List<long>();
        var seen = new HashSet<long>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!TryRange(part, out var first, out var last))
            {
                problem = $"--ids must be task indices and ranges such as 0-39 or 0,3,5-9, found '{text}'.";
                return null;
            }

            if (last - first >= MaxCount || ids.Count + (last - first + 1) > MaxCount)
            {
                problem = string.Create(CultureInfo.InvariantCulture, $"--ids names more than {MaxCount:N0} tasks.");
                return null;
            }

            for (var id = first; id <= last; id++)
            {
                if (seen.Add(id))
                {
                    ids.Add(id);
                }
            }
        }

        return ids;
    }

    private static bool TryRange(string part, out long first, out long last)
    {
        var dash = part.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            var single = long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out first);
            last = first;
            return single;
        }

        last = 0;
        return long.TryParse(part.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out first)
            && long.TryParse(part.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out last)
            && first <= last;
    }
}
