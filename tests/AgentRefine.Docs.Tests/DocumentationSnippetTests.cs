using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AgentRefine.Docs.Tests;

/// <summary>Every C# block in the README and docs/ compiles against the real assemblies.</summary>
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

    private static readonly Lazy<MetadataReference[]> References = new(() =>
    {
        var framework = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var local = Directory.GetFiles(AppContext.BaseDirectory, "*.dll");
        return framework.Concat(local)
            .GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
            .Select(g => (MetadataReference)MetadataReference.CreateFromFile(g.First()))
            .ToArray();
    });

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "AgentRefine.Core.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("The repository root was not found.");
    }

    public static TheoryData<string, int> Snippets()
    {
        var root = RepositoryRoot();
        var data = new TheoryData<string, int>();
        foreach (var file in new[] { Path.Combine(root, "README.md") }.Concat(Directory.GetFiles(Path.Combine(root, "docs"), "*.md")).Order(StringComparer.Ordinal))
        {
            foreach (Match match in CSharpBlock().Matches(File.ReadAllText(file)))
            {
                data.Add(Path.GetRelativePath(root, file), LineOf(File.ReadAllText(file), match.Index));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Snippets))]
    public void The_snippet_compiles(string file, int line)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), file));
        var snippet = CSharpBlock().Matches(text).Single(m => LineOf(text, m.Index) == line).Groups[1].Value;
        var errors = Compile(snippet, OutputKind.ConsoleApplication);
        if (errors.Count > 0 && errors.All(e => e.Id is "CS5001"))
        {
            errors = Compile(snippet, OutputKind.DynamicallyLinkedLibrary);
        }

        errors.Select(e => e.ToString()).Should().BeEmpty($"the C# block at {file}:{line} must compile");
    }

    [Fact]
    public void The_documentation_has_snippets_to_check()
    {
        Snippets().Count.Should().BeGreaterThan(8);
    }

    private static List<Diagnostic> Compile(string snippet, OutputKind kind)
    {
        var compilation = CSharpCompilation.Create(
            "Snippet",
            [CSharpSyntaxTree.ParseText(ImplicitUsings), CSharpSyntaxTree.ParseText(snippet, new CSharpParseOptions(LanguageVersion.Latest))],
            References.Value,
            new CSharpCompilationOptions(kind, nullableContextOptions: NullableContextOptions.Enable));
        return compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
    }

    private static int LineOf(string text, int index) => text.AsSpan(0, index).Count('\n') + 1;

    [GeneratedRegex("```csharp\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
