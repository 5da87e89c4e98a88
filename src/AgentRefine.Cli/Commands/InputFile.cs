using AgentRefine.Json;
using System.Text;

namespace AgentRefine.Cli.Commands;

/// <summary>Reads an input file within the read limits, turning every failure into a message that names the file.</summary>
internal static class InputFile
{
    /// <summary>Reads <paramref name="file"/> as UTF-8 text.</summary>
    /// <param name="file">The file.</param>
    /// <param name="what">What the file is, for messages ("script", "trajectory").</param>
    /// <param name="limits">The read limits.</param>
    /// <param name="text">The text, on success.</param>
    /// <param name="error">The message, on failure.</param>
    /// <returns>Whether the file was read.</returns>
    public static bool TryRead(FileInfo file, string what, JsonReadLimits limits, out string text, out string error)
    {
        text = string.Empty;
        try
        {
            if (!file.Exists)
            {
                error = Directory.Exists(file.FullName)
                    ? $"cannot read the {what} file '{file.FullName}': it is a directory, not a file."
                    : $"cannot read the {what} file '{file.FullName}': it does not exist.";
                return false;
            }

            // UTF-8 takes at most 4 bytes a character: a larger file is over the limit before it is read.
            if (file.Length > 4L * limits.MaxInputChars)
            {
                error = $"the {what} file '{file.FullName}' is {file.Length:N0} bytes, over the read limit of {limits.MaxInputChars:N0} characters.";
                return false;
            }

            text = File.ReadAllText(file.FullName, Encoding.UTF8);
            if (text.Length > limits.MaxInputChars)
            {
                error = $"the {what} file '{file.FullName}' has {text.Length:N0} characters, over the read limit of {limits.MaxInputChars:N0}.";
                return false;
            }

            if (text.Length > 0 && text[0] == '\uFEFF')
            {
                text = text[1..];
            }

            if (text.Contains('\0', StringComparison.Ordinal))
            {
                error = $"the {what} file '{file.FullName}' is not text (it holds NUL bytes).";
                return false;
            }

            error = string.Empty;
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            error = $"cannot read the {what} file '{file.FullName}': {exception.Message}";
            return false;
        }
    }
}
