using System.Diagnostics;
using System.Reflection;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;

namespace AgentRefine.Docs.Tests;

/// <summary>
/// What a user's compiler sees after <c>dotnet add package</c> of a set of packages: for every package set the
/// documentation uses, a probe project (a new console project referencing exactly those packages; ours,
/// AgentRefine.Core and AgentRefine.OpenAI, as ProjectReferences to src/, others as PackageReferences at the
/// versions of Directory.Packages.props) is restored and asked for its compiler references
/// (<c>@(ReferencePathWithRefAssemblies)</c>: the Microsoft.NETCore.App reference pack plus the compile assets
/// of the packages and their NuGet dependency closure). One <c>dotnet msbuild</c> run resolves every set;
/// nothing is built (src/ is already built in this configuration) and nothing the tests load is used.
/// </summary>
internal static class SnippetReferences
{
    private const string TargetName = "WriteSnippetReferences";

    private static readonly Dictionary<string, IReadOnlyList<string>> Paths = new(StringComparer.Ordinal);

    private static readonly Dictionary<string, MetadataReference[]> References = new(StringComparer.Ordinal);

    private static readonly Dictionary<string, Exception> Failures = new(StringComparer.Ordinal);

    private static readonly Lock Gate = new();

    /// <summary>The folder of the probe projects (under this test's output, so Directory.Packages.props applies).</summary>
    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "snippet-references");

    /// <summary>The compiler reference paths for a package set.</summary>
    public static IReadOnlyList<string> PathsFor(IReadOnlyList<string> packages)
    {
        var key = Key(packages);
        lock (Gate)
        {
            if (!Paths.ContainsKey(key) && !Failures.ContainsKey(key))
            {
                // Every set the documentation uses, in one MSBuild run; a failed run is reported to every test, not rerun by each.
                List<IReadOnlyList<string>> sets = [.. new[] { packages }.Concat(Documentation.AllSnippets().Select(s => s.Packages)).DistinctBy(Key).Where(p => !Paths.ContainsKey(Key(p)))];
                try
                {
                    Resolve(sets);
                }
                catch (Exception exception) when (exception is InvalidOperationException or TimeoutException or IOException or System.ComponentModel.Win32Exception)
                {
                    foreach (var set in sets.Where(s => !Paths.ContainsKey(Key(s))))
                    {
                        Failures[Key(set)] = exception;
                    }
                }
            }

            return Failures.TryGetValue(key, out var failure)
                ? throw new InvalidOperationException(failure.Message, failure)
                : Paths[key];
        }
    }

    public static MetadataReference[] For(IReadOnlyList<string> packages)
    {
        var paths = PathsFor(packages);
        lock (Gate)
        {
            var key = Key(packages);
            if (!References.TryGetValue(key, out var references))
            {
                references = [.. paths.Select(p => MetadataReference.CreateFromFile(p))];
                References[key] = references;
            }

            return references;
        }
    }

    private static string Key(IEnumerable<string> packages) =>
        string.Join('+', packages.Select(p => p.ToLowerInvariant()).Order(StringComparer.Ordinal));

    private static string ProbeName(string key) =>
        "Snippets." + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..12];

    private static void Resolve(List<IReadOnlyList<string>> sets)
    {
        Directory.CreateDirectory(Folder);
        using var exclusive = Exclusive();

        // A user's project has none of this repository's build settings (warnings as errors, analyzers, ...).
        File.WriteAllText(Path.Combine(Folder, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(Folder, "Directory.Build.targets"), "<Project />\n");

        var projects = Projects();
        var solution = new XElement("Solution");
        foreach (var packages in sets)
        {
            var name = ProbeName(Key(packages));
            var folder = Path.Combine(Folder, name);
            Directory.CreateDirectory(folder);
            File.Delete(Path.Combine(folder, "references.txt"));
            File.WriteAllText(Path.Combine(folder, name + ".csproj"), Probe(packages, projects));
            solution.Add(new XElement("Project", new XAttribute("Path", $"{name}/{name}.csproj")));
        }

        File.WriteAllText(Path.Combine(Folder, "Snippets.slnx"), solution.ToString() + "\n");
        RunMSBuild();

        foreach (var packages in sets)
        {
            var file = Path.Combine(Folder, ProbeName(Key(packages)), "references.txt");
            var paths = File.Exists(file)
                ? File.ReadAllLines(file).Where(l => l.Length > 0).ToList()
                : throw new InvalidOperationException($"The probe for {string.Join(", ", packages)} wrote no {file}.");
            var missing = paths.Where(p => !File.Exists(p)).ToList();
            Paths[Key(packages)] = missing.Count == 0
                ? paths
                : throw new InvalidOperationException(
                    $"Reference assemblies for {string.Join(", ", packages)} are missing (is src/ built in {Configuration()}?): {string.Join(", ", missing)}");
        }
    }

    /// <summary>One test run at a time writes and restores the probes (two runs of this configuration share the folder).</summary>
    private static FileStream Exclusive()
    {
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (true)
        {
            try
            {
                return new FileStream(Path.Combine(Folder, ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(200);
            }
        }
    }

    /// <summary>Our packages: the src/ projects by PackageId.</summary>
    private static Dictionary<string, string> Projects() =>
        Directory.GetFiles(Path.Combine(Documentation.Root, "src"), "*.csproj", SearchOption.AllDirectories)
            .Select(path => (path, id: XDocument.Load(path).Descendants("PackageId").FirstOrDefault()?.Value))
            .Where(p => p.id is not null)
            .ToDictionary(p => p.id!, p => p.path, StringComparer.OrdinalIgnoreCase);

    private static string Probe(IReadOnlyList<string> packages, Dictionary<string, string> projects)
    {
        var items = new XElement("ItemGroup");
        foreach (var package in packages)
        {
            items.Add(projects.TryGetValue(package, out var project)
                ? new XElement("ProjectReference", new XAttribute("Include", project))
                : new XElement("PackageReference", new XAttribute("Include", package)));
        }

        var probe = new XElement(
            "Project",
            new XAttribute("Sdk", "Microsoft.NET.Sdk"),
            new XComment($" A new console project after: dotnet add package {string.Join("; dotnet add package ", packages)}. Written by SnippetReferences.cs. "),
            new XElement(
                "PropertyGroup",
                new XElement("OutputType", "Exe"),
                new XElement("TargetFramework", TargetFramework())),
            items,
            new XElement(
                "Target",
                new XAttribute("Name", TargetName),
                new XAttribute("DependsOnTargets", "ResolveReferences;FindReferenceAssembliesForReferences"),
                new XElement(
                    "WriteLinesToFile",
                    new XAttribute("File", "$(MSBuildProjectDirectory)/references.txt"),
                    new XAttribute("Lines", "@(ReferencePathWithRefAssemblies)"),
                    new XAttribute("Overwrite", "true"))));
        return probe.ToString() + "\n";
    }

    private static void RunMSBuild()
    {
        var start = new ProcessStartInfo(DotNet())
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "msbuild", "Snippets.slnx", "-restore", $"-t:{TargetName}", "-nologo", "-v:q", "-nodeReuse:false",
            $"-p:Configuration={Configuration()}",
            "-p:BuildProjectReferences=false",                       // src/ is built already; only its outputs are read
            "-p:RestoreRecursive=false",                              // restore the probes, not src/
            "-p:ShouldUnsetParentConfigurationAndPlatform=false",     // src/ in this configuration, though not in the .slnx
        })
        {
            start.ArgumentList.Add(argument);
        }

        // The MSBuild that started this test run must not steer the child one.
        foreach (var variable in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(variable);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet msbuild {Path.Combine(Folder, "Snippets.slnx")} took more than 5 minutes.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"Resolving the snippets' references failed (exit {process.ExitCode}; a package a doc names must have a "
                + $"PackageVersion in Directory.Packages.props): dotnet {string.Join(' ', start.ArgumentList)} in {Folder}\n"
                + output.GetAwaiter().GetResult() + error.GetAwaiter().GetResult());
        }
    }

    private static string DotNet()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        return Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
            ? path
            : "dotnet";
    }

    private static string Configuration() =>
        typeof(SnippetReferences).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration
        ?? throw new InvalidOperationException("The test assembly names no build configuration.");

    private static string TargetFramework()
    {
        var name = typeof(SnippetReferences).Assembly.GetCustomAttribute<TargetFrameworkAttribute>()?.FrameworkName
            ?? throw new InvalidOperationException("The test assembly names no target framework.");
        var version = new FrameworkName(name).Version;
        return $"net{version.Major}.{version.Minor}";
    }
}
