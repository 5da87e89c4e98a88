using AgentRefine.Cli.Commands;

namespace AgentRefine.Cli.Tests;

public sealed class FilePathsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("agentrefine-paths-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Case_follows_the_operating_system()
    {
        FilePaths.AreSame(Path.Combine(_folder, "a.jsonl"), Path.Combine(_folder, "A.JSONL")).Should().Be(OperatingSystem.IsWindows() || OperatingSystem.IsMacOS());
        FilePaths.AreSame(Path.Combine(_folder, "x", "..", "a.jsonl"), Path.Combine(_folder, "a.jsonl")).Should().BeTrue();
    }

    [Fact]
    public void Links_are_resolved_at_every_level_and_loops_do_not_hang()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        Directory.CreateDirectory(Path.Combine(_folder, "real"));
        File.WriteAllText(Path.Combine(_folder, "real", "f.jsonl"), "{}");
        Directory.CreateSymbolicLink(Path.Combine(_folder, "dir-link"), "real");
        File.CreateSymbolicLink(Path.Combine(_folder, "real", "file-link"), "f.jsonl");
        File.CreateSymbolicLink(Path.Combine(_folder, "loop-a"), "loop-b");
        File.CreateSymbolicLink(Path.Combine(_folder, "loop-b"), "loop-a");

        FilePaths.AreSame(Path.Combine(_folder, "dir-link", "file-link"), Path.Combine(_folder, "real", "f.jsonl")).Should().BeTrue();
        FilePaths.AreSame(Path.Combine(_folder, "dir-link", "new.md"), Path.Combine(_folder, "real", "new.md")).Should().BeTrue("a file not yet written is compared by its resolved folder");
        FilePaths.AreSame(Path.Combine(_folder, "loop-a"), Path.Combine(_folder, "real", "f.jsonl")).Should().BeFalse();
    }
}
