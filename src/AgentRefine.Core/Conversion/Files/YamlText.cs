using System.Globalization;
using System.Text;

namespace AgentRefine.Conversion;

/// <summary>YAML scalars for the configuration files written beside datasets.</summary>
internal static class YamlText
{
    /// <summary>
    /// A double-quoted YAML scalar: <c>\</c> and <c>"</c> escaped, control and line-separator characters as
    /// <c>\xNN</c> / <c>\uNNNN</c>, everything else (spaces, <c>#</c>, <c>:</c>, non-ASCII) as is, so any path or
    /// name reads back exactly (YAML 1.1 and 1.2, PyYAML and OmegaConf alike).
    /// </summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => text.Append("\\\""),
                '\\' => text.Append("\\\\"),
                '\n' => text.Append("\\n"),
                '\t' => text.Append("\\t"),
                '\r' => text.Append("\\r"),
                < ' ' or '\u007f' => text.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}"),
                '\u0085' or '\u2028' or '\u2029' or '\ufeff' => text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => text.Append(c),
            };
        }

        return text.Append('"').ToString();
    }
}
