using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace AgentRefine.Docs.Tests;

/// <summary>The README shown on nuget.org (src/PACKAGE.md): its C# compiles and every link works outside the repository.</summary>
public partial class DocumentationSnippetTests
{
    private const string PackageReadme = "src/PACKAGE.md";

    public static TheoryData<int> PackageReadmeSnippets()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), PackageReadme));
        var data = new TheoryData<int>();
        foreach (Match match in CSharpBlock().Matches(text))
        {
            data.Add(LineOf(text, match.Index));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PackageReadmeSnippets))]
    public void The_package_readme_snippet_compiles(int line) => The_snippet_compiles(PackageReadme, line);

    [Fact]
    public void The_package_readme_links_only_to_absolute_addresses()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), PackageReadme));
        var targets = MarkdownLink().Matches(text).Select(m => m.Groups[1].Value).ToList();

        targets.Should().NotBeEmpty();
        targets.Should().OnlyContain(t => t.StartsWith("https://", StringComparison.Ordinal), "a repository-relative link is broken on nuget.org");
    }

    [Theory]
    [InlineData("src/AgentRefine.Core/AgentRefine.Core.csproj")]
    [InlineData("src/AgentRefine.OpenAI/AgentRefine.OpenAI.csproj")]
    [InlineData("src/AgentRefine.Cli/AgentRefine.Cli.csproj")]
    public void Every_package_packs_the_package_readme(string project)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), project));
        text.Should().Contain("<PackageReadmeFile>README.md</PackageReadmeFile>")
            .And.Contain("<None Include=\"../PACKAGE.md\" Pack=\"true\" PackagePath=\"README.md\" />")
            .And.NotContain("../../README.md", "the repository README links into the repository");
    }

    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex MarkdownLink();
}
