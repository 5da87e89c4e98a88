using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AgentRefine.Docs.Tests;

/// <summary>
/// Every C# block in the README and docs/ compiles as a reader would compile it: a new console project (the
/// SDK's implicit usings) with only the packages the README's Install section adds (src/PACKAGE.md: its own
/// Install section; docs/*.md: plus those their snippet-packages comments declare; see <see cref="Documentation"/>), against the shared framework's
/// reference assemblies and those packages' dependency closure (<see cref="SnippetReferences"/>), never
/// against what the test process happens to load. A block is a program (top-level statements); a block of
/// type declarations only must say so with <c>```csharp class</c>, and is compiled as a library.
/// </summary>
public partial class DocumentationSnippetTests
{
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    public static TheoryData<string, int> Snippets()
    {
        var data = new TheoryData<string, int>();
        foreach (var snippet in Documentation.Files().SelectMany(Documentation.Snippets))
        {
            data.Add(snippet.File, snippet.Line);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Snippets))]
    public void The_snippet_compiles(string file, int line)
    {
        var snippet = Documentation.Snippets(file).Single(s => s.Line == line);
        var where = $"the C# block at {file}:{line}";
        snippet.InfoWords.Should().BeSubsetOf([CSharpSnippet.TypesOnlyWord], $"{where} may only be marked ```csharp {CSharpSnippet.TypesOnlyWord} (type declarations only)");

        var errors = Compile(snippet);
        errors.Where(e => e.Id is "CS5001").Should().BeEmpty(
            $"{where} must be a program a reader can run (top-level statements); a block of type declarations only is marked ```csharp {CSharpSnippet.TypesOnlyWord}");
        errors.Select(e => e.ToString()).Should().BeEmpty(
            $"{where} must compile with only {string.Join(", ", snippet.Packages)} (what the reader was told to add"
            + (Documentation.InstallPackages(file) is not null ? " in the file's Install section)" : ": the README's Install section plus the file's snippet-packages comments)"));
    }

    [Fact]
    public void The_documentation_has_snippets_to_check()
    {
        Snippets().Count.Should().BeGreaterThan(8);
    }

    [Fact]
    public void The_readme_install_section_is_what_its_snippets_compile_with()
    {
        var packages = Documentation.ReadmePackages();
        packages.Should().Contain("AgentRefine.Core");
        Documentation.Snippets(Documentation.Readme).Should().OnlyContain(s => s.Packages.Order(StringComparer.OrdinalIgnoreCase).SequenceEqual(packages.Order(StringComparer.OrdinalIgnoreCase)));
        foreach (var file in Documentation.AllFiles().Where(f => Documentation.InstallPackages(f) is not null))
        {
            Documentation.PackageMarkers(file).Should().BeEmpty(
                $"{file}'s snippets compile with its Install section only; a package they need belongs in its `dotnet add package` lines");
        }

        // The references are the probe's, not the test process's: nothing the README does not name.
        var files = SnippetReferences.PathsFor(packages).Select(Path.GetFileName).ToList();
        files.Should().Contain(["AgentRefine.Core.dll", "System.Runtime.dll"]);
        files.Should().NotContain(["OpenTelemetry.dll", "FluentAssertions.dll", "xunit.core.dll", "Microsoft.CodeAnalysis.dll", "AgentRefine.Docs.Tests.dll"]);
    }

    private static string RepositoryRoot() => Documentation.Root;

    private static int LineOf(string text, int index) => Documentation.LineOf(text, index);

    private static Regex CSharpBlock() => Documentation.CSharpBlock();

    private static List<Diagnostic> Compile(CSharpSnippet snippet)
    {
        var compilation = CSharpCompilation.Create(
            "Snippet",
            [CSharpSyntaxTree.ParseText(ImplicitUsings), CSharpSyntaxTree.ParseText(snippet.Code, new CSharpParseOptions(LanguageVersion.Latest))],
            SnippetReferences.For(snippet.Packages),
            new CSharpCompilationOptions(
                snippet.TypesOnly ? OutputKind.DynamicallyLinkedLibrary : OutputKind.ConsoleApplication,
                nullableContextOptions: NullableContextOptions.Enable));
        return compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
    }
}
