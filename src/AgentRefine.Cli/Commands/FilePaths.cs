namespace AgentRefine.Cli.Commands;

/// <summary>Which paths name the same file: full paths with every symbolic link resolved, compared with the operating system's case rules.</summary>
internal static class FilePaths
{
    private const int MaxLinks = 40;

    /// <summary>Case-insensitive on Windows and macOS (their default file systems), ordinal elsewhere.</summary>
    public static StringComparer Comparer { get; } = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

    /// <summary>Whether <paramref name="a"/> and <paramref name="b"/> name the same file.</summary>
    public static bool AreSame(string a, string b) => Comparer.Equals(Canonical(a), Canonical(b));

    /// <summary>
    /// The full path with each component that is a symbolic link replaced by its final target
    /// (<see cref="FileSystemInfo.ResolveLinkTarget(bool)"/>), so <c>link/f.txt</c> and <c>real/f.txt</c>
    /// agree when <c>link</c> points at <c>real</c>. Components that do not exist are kept as written.
    /// </summary>
    public static string Canonical(string path) => Canonical(Path.GetFullPath(path), 0);

    private static string Canonical(string full, int links)
    {
        var root = Path.GetPathRoot(full) ?? string.Empty;
        var parts = full[root.Length..].Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
        var current = root;
        for (var i = 0; i < parts.Length; i++)
        {
            var next = Path.Combine(current, parts[i]);
            if (links < MaxLinks && Target(next) is { } target)
            {
                return Canonical(Path.GetFullPath(Path.Combine([target, .. parts[(i + 1)..]])), links + 1);
            }

            current = next;
        }

        return current;
    }

    private static string? Target(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return info.LinkTarget is null ? null : info.ResolveLinkTarget(returnFinalTarget: true)?.FullName;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null; // a link loop or an unreadable link: compare the path as written
        }
    }
}
