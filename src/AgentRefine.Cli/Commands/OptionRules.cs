using System.CommandLine;
using System.Globalization;

namespace AgentRefine.Cli.Commands;

/// <summary>Range checks for integer options that run only on values that parsed (the parser reports the rest).</summary>
internal static class OptionRules
{
    public static void RequireAtLeast(Option<int> option, int minimum) => Add(option, minimum);

    public static void RequireAtLeast(Option<int?> option, int minimum) => Add(option, minimum);

    public static void RequireAtLeast(Option<long?> option, int minimum) => Add(option, minimum);

    /// <summary>The option's value, when given, must be an absolute http or https address.</summary>
    public static void RequireHttpAddress(Option option)
    {
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1 && !(Uri.TryCreate(result.Tokens[0].Value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            {
                result.AddError($"{option.Name} must be an absolute http or https address, found '{result.Tokens[0].Value}'.");
            }
        });
    }

    private static void Add(Option option, int minimum)
    {
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1
                && long.TryParse(result.Tokens[0].Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
                && value < minimum)
            {
                result.AddError($"{option.Name} must be {minimum} or more.");
            }
        });
    }
}
