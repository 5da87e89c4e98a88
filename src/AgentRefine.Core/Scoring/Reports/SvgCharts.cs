using System.Globalization;
using System.Net;
using System.Text;

namespace AgentRefine.Scoring;

/// <summary>Self-contained SVG charts (no script, no external resource): the long-range progress curve and grouped bars.</summary>
public static class SvgCharts
{
    private static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];

    /// <summary>The long-range curve of every run: the mean progress rate (%) reached by each step 0..29.</summary>
    /// <param name="report">The report.</param>
    /// <returns>The SVG document.</returns>
    public static string LongRange(ScoringReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return Lines("Progress rate reached by each step", "step", "progress rate (%)", report.Runs.ToDictionary(r => r.Key, r => (IReadOnlyList<double>)r.Value.LongRange.Select(v => v * 100).ToArray()));
    }

    /// <summary>A line chart: one series per entry, x = index, y in [0, 100].</summary>
    /// <param name="title">The title.</param>
    /// <param name="xLabel">The x-axis label.</param>
    /// <param name="yLabel">The y-axis label.</param>
    /// <param name="series">The series, by name.</param>
    /// <returns>The SVG document.</returns>
    public static string Lines(string title, string xLabel, string yLabel, IReadOnlyDictionary<string, IReadOnlyList<double>> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        const double left = 60, top = 40, width = 560, height = 300;
        var points = Math.Max(2, series.Values.Select(s => s.Count).DefaultIfEmpty(2).Max());
        var svg = Begin(title, left, top, width, height, xLabel, yLabel);
        for (var x = 0; x < points; x += 5)
        {
            var px = left + (width * x / (points - 1));
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{px:F1}\" y=\"{top + height + 16}\" text-anchor=\"middle\">{x}</text>\n");
        }

        var index = 0;
        foreach (var (name, values) in series)
        {
            var color = Palette[index % Palette.Length];
            var path = string.Join(' ', values.Select((v, i) => string.Create(CultureInfo.InvariantCulture, $"{left + (width * i / (points - 1)):F1},{top + height - (height * Math.Clamp(v, 0, 100) / 100):F1}")));
            svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{path}\"/>\n");
            Legend(svg, left + width + 10, top + (index * 18), color, name);
            index++;
        }

        return End(svg);
    }

    /// <summary>A grouped bar chart: one group per category, one bar per series, values in [0, 100].</summary>
    /// <param name="title">The title.</param>
    /// <param name="yLabel">The y-axis label.</param>
    /// <param name="categories">The group labels, in order.</param>
    /// <param name="series">The series, by name; each holds one value per category.</param>
    /// <returns>The SVG document.</returns>
    public static string Bars(string title, string yLabel, IReadOnlyList<string> categories, IReadOnlyDictionary<string, IReadOnlyList<double>> series)
    {
        ArgumentNullException.ThrowIfNull(categories);
        ArgumentNullException.ThrowIfNull(series);
        const double left = 60, top = 40, width = 560, height = 300;
        var svg = Begin(title, left, top, width, height, string.Empty, yLabel);
        var group = width / Math.Max(1, categories.Count);
        var bar = group * 0.8 / Math.Max(1, series.Count);
        for (var c = 0; c < categories.Count; c++)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + (group * c) + (group / 2):F1}\" y=\"{top + height + 16}\" text-anchor=\"middle\">{Escape(categories[c])}</text>\n");
        }

        var index = 0;
        foreach (var (name, values) in series)
        {
            var color = Palette[index % Palette.Length];
            for (var c = 0; c < categories.Count && c < values.Count; c++)
            {
                var h = height * Math.Clamp(values[c], 0, 100) / 100;
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left + (group * c) + (group * 0.1) + (bar * index):F1}\" y=\"{top + height - h:F1}\" width=\"{bar:F1}\" height=\"{h:F1}\" fill=\"{color}\"><title>{Escape(name)}: {values[c]:F1}</title></rect>\n");
            }

            Legend(svg, left + width + 10, top + (index * 18), color, name);
            index++;
        }

        return End(svg);
    }

    private static StringBuilder Begin(string title, double left, double top, double width, double height, string xLabel, string yLabel)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{left + width + 200}\" height=\"{top + height + 50}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"{top - 15}\" font-size=\"14\" font-weight=\"bold\">{Escape(title)}</text>\n");
        for (var y = 0; y <= 100; y += 20)
        {
            var py = top + height - (height * y / 100);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{py:F1}\" x2=\"{left + width}\" y2=\"{py:F1}\" stroke=\"#ddd\"/><text x=\"{left - 6}\" y=\"{py + 4:F1}\" text-anchor=\"end\">{y}</text>\n");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{top + height}\" x2=\"{left + width}\" y2=\"{top + height}\" stroke=\"#000\"/><line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{top + height}\" stroke=\"#000\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + (width / 2)}\" y=\"{top + height + 36}\" text-anchor=\"middle\">{Escape(xLabel)}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text transform=\"translate(16,{top + (height / 2)}) rotate(-90)\" text-anchor=\"middle\">{Escape(yLabel)}</text>\n");
        return svg;
    }

    private static void Legend(StringBuilder svg, double x, double y, string color, string name) =>
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{y}\" width=\"12\" height=\"12\" fill=\"{color}\"/><text x=\"{x + 18}\" y=\"{y + 10}\">{Escape(name)}</text>\n");

    private static string End(StringBuilder svg) => svg.Append("</svg>\n").ToString();

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}
