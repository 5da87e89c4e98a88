using System.Text.RegularExpressions;

namespace AgentRefine.Docs.Tests;

/// <summary>A C# block of the README or of docs/*.md, and the packages a reader has added when reading it.</summary>
/// <param name="File">The Markdown file, relative to the repository root ("README.md", "docs/x.md").</param>
/// <param name="Line">The line of the opening fence.</param>
/// <param name="Code">The block's text.</param>
/// <param name="InfoWords">The words after <c>csharp</c> on the opening fence (<c>class</c> marks a fragment of type declarations).</param>
/// <param name="Packages">The NuGet packages the block compiles against (with their dependencies and the shared framework).</param>
internal sealed record CSharpSnippet(string File, int Line, string Code, IReadOnlyList<string> InfoWords, IReadOnlyList<string> Packages)
{
    /// <summary>The info-string word that marks a block of type declarations only (compiled as a library, not a program).</summary>
    public const string TypesOnlyWord = "class";

    public bool TypesOnly => InfoWords.Contains(TypesOnlyWord, StringComparer.Ordinal);
}

/// <summary>
/// The documentation as a reader meets it. A file with an Install section of its own (README.md, the
/// nuget.org README src/PACKAGE.md) is read alone: its snippets compile with exactly the packages that
/// section adds (<c>dotnet add package X</c> lines in the first bash block under <c>## Install</c>), and it
/// takes no other declaration. A docs/*.md snippet compiles with the README's packages plus those its file
/// declares in an HTML comment, <c>&lt;!-- snippet-packages: A, B --&gt;</c>: right above a block (nothing
/// but blank lines between) it adds them to that block, anywhere else to every block of the file. The
/// doc's prose must tell the reader to add them.
/// </summary>
internal static partial class Documentation
{
    public const string Readme = "README.md";

    public static string Root { get; } = FindRoot();

    /// <summary>README.md, then docs/*.md in ordinal order.</summary>
    public static IReadOnlyList<string> Files() =>
        [Readme, .. Directory.GetFiles(Path.Combine(Root, "docs"), "*.md").Select(f => Path.GetRelativePath(Root, f)).Order(StringComparer.Ordinal)];

    public static string Read(string file) => File.ReadAllText(Path.Combine(Root, file)).ReplaceLineEndings("\n");

    /// <summary>Every Markdown file whose snippets are compiled: <see cref="Files"/> and the package README(s) in src/.</summary>
    public static IReadOnlyList<string> AllFiles() =>
        [.. Files(), .. Directory.GetFiles(Path.Combine(Root, "src"), "*.md").Select(f => Path.GetRelativePath(Root, f)).Order(StringComparer.Ordinal)];

    public static IEnumerable<CSharpSnippet> AllSnippets() => AllFiles().SelectMany(Snippets);

    /// <summary>The packages the README's Install section tells a user to add, in order.</summary>
    public static IReadOnlyList<string> ReadmePackages() =>
        InstallPackages(Readme) ?? throw new InvalidOperationException("README.md has no '## Install' section.");

    /// <summary>The packages a file's own Install section tells a user to add, in order; null without such a section.</summary>
    public static IReadOnlyList<string>? InstallPackages(string file)
    {
        var section = InstallSection().Match(Read(file));
        if (!section.Success)
        {
            return null;
        }

        var block = ShellBlock().Match(section.Groups["body"].Value);
        if (!block.Success)
        {
            throw new InvalidOperationException($"{file}'s '## Install' section has no ```bash block.");
        }

        var packages = AddPackageLine().Matches(block.Groups["code"].Value).Select(m => m.Groups["name"].Value).ToList();
        return packages.Count > 0
            ? packages
            : throw new InvalidOperationException($"{file}'s install block has no 'dotnet add package' line.");
    }

    /// <summary>The snippet-packages comments of a file, as written.</summary>
    public static IReadOnlyList<string> PackageMarkers(string file) =>
        PackagesMarker().Matches(Read(file)).Select(m => m.Value).ToList();

    public static IReadOnlyList<CSharpSnippet> Snippets(string file)
    {
        var text = Read(file);
        var own = InstallPackages(file);
        var installed = own ?? ReadmePackages();
        var blocks = CSharpBlock().Matches(text);
        var fileWide = new List<string>();
        var perBlock = new Dictionary<int, List<string>>();
        if (own is null)
        {
            foreach (Match marker in PackagesMarker().Matches(text))
            {
                var end = marker.Index + marker.Length;
                var names = marker.Groups["names"].Value.Split([',', ' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);
                var next = blocks.FirstOrDefault(b => b.Index >= end);
                if (next is not null && string.IsNullOrWhiteSpace(text[end..next.Index]))
                {
                    (perBlock.TryGetValue(next.Index, out var list) ? list : perBlock[next.Index] = []).AddRange(names);
                }
                else
                {
                    fileWide.AddRange(names);
                }
            }
        }

        return blocks.Select(b => new CSharpSnippet(
                file,
                LineOf(text, b.Index),
                b.Groups["code"].Value,
                b.Groups["info"].Value.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries),
                installed.Concat(fileWide).Concat(perBlock.GetValueOrDefault(b.Index) ?? [])
                    .Distinct(StringComparer.OrdinalIgnoreCase)
                    .Order(StringComparer.OrdinalIgnoreCase)
                    .ToList()))
            .ToList();
    }

    public static int LineOf(string text, int index) => text.AsSpan(0, index).Count('\n') + 1;

    private static string FindRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "AgentRefine.Core.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("The repository root was not found.");
    }

    /// <summary>A fenced block whose info string starts with the word <c>csharp</c>.</summary>
    [GeneratedRegex(@"^```csharp(?<info>[ \t][^\n]*)?\n(?<code>.*?)^```[ \t]*$", RegexOptions.Singleline | RegexOptions.Multiline)]
    public static partial Regex CSharpBlock();

    [GeneratedRegex(@"^\#\#[ \t]+Install[ \t]*\n(?<body>.*?)(?=^\#\#?[ \t]|\z)", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex InstallSection();

    [GeneratedRegex(@"^```(?:bash|sh|shell|console)[ \t]*\n(?<code>.*?)^```", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex ShellBlock();

    [GeneratedRegex(@"^[ \t]*dotnet[ \t]+add[ \t]+(?:[^\s#]+[ \t]+)?package[ \t]+(?<name>[A-Za-z0-9_.\-]+)", RegexOptions.Multiline)]
    private static partial Regex AddPackageLine();

    [GeneratedRegex(@"<!--[ \t]*snippet-packages:(?<names>.*?)-->", RegexOptions.Singleline)]
    private static partial Regex PackagesMarker();
}
