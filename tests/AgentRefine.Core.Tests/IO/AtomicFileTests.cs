using System.Text;
using AgentRefine.IO;

namespace AgentRefine.Core.Tests.IO;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("agentrefine-atomic-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Target => Path.Combine(_folder, "report.md");

    private string[] FolderContents() => Directory.GetFileSystemEntries(_folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    [Fact]
    public async Task The_target_appears_only_on_commit_and_no_temporary_file_is_left()
    {
        var file = AtomicFile.Create(Target);
        await using (file)
        {
            await file.Stream.WriteAsync(Encoding.UTF8.GetBytes("| run |\n"));
            await file.Stream.FlushAsync();
            File.Exists(Target).Should().BeFalse("nothing is at the final path before the commit");
            Path.GetDirectoryName(file.TemporaryPath).Should().Be(_folder, "the temporary file is beside the target, so the rename stays on one file system");
            Path.GetFileName(file.TemporaryPath).Should().MatchRegex(@"^\.report\.md\.[0-9a-f]{12}\.tmp$");
            await file.CommitAsync();
            file.IsCommitted.Should().BeTrue();
        }

        (await File.ReadAllTextAsync(Target)).Should().Be("| run |\n");
        FolderContents().Should().Equal("report.md");
    }

    [Fact]
    public async Task Disposing_without_a_commit_leaves_an_absent_target_absent()
    {
        var file = AtomicFile.Create(Target);
        await using (file)
        {
            await file.Stream.WriteAsync(new byte[100_000]);
        }

        FolderContents().Should().BeEmpty();
    }

    [Fact]
    public async Task Disposing_without_a_commit_leaves_the_previous_version()
    {
        await File.WriteAllTextAsync(Target, "previous");
        using (var file = AtomicFile.Create(Target))
        {
            file.Stream.Write(Encoding.UTF8.GetBytes("half a new rep"));
        }

        (await File.ReadAllTextAsync(Target)).Should().Be("previous");
        FolderContents().Should().Equal("report.md");
    }

    [Fact]
    public async Task A_commit_replaces_the_previous_version()
    {
        await File.WriteAllTextAsync(Target, "previous, longer than the new content");
        await AtomicFile.WriteAllTextAsync(Target, "new");
        (await File.ReadAllTextAsync(Target)).Should().Be("new");
        FolderContents().Should().Equal("report.md");
    }

    [Fact]
    public async Task A_cancelled_write_leaves_the_target_as_it_was()
    {
        await File.WriteAllTextAsync(Target, "previous");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var write = () => AtomicFile.WriteAllTextAsync(Target, "new", cancelled.Token);

        await write.Should().ThrowAsync<OperationCanceledException>();
        (await File.ReadAllTextAsync(Target)).Should().Be("previous");
        FolderContents().Should().Equal("report.md");
    }

    [Fact]
    public void A_directory_or_a_missing_folder_is_named_before_anything_is_created()
    {
        var directory = Directory.CreateDirectory(Path.Combine(_folder, "charts")).FullName;
        var onDirectory = () => AtomicFile.Create(directory);
        onDirectory.Should().Throw<IOException>().WithMessage($"'{directory}' is a directory, not a file.");

        var missing = Path.Combine(_folder, "nope", "report.md");
        var inMissingFolder = () => AtomicFile.Create(missing);
        inMissingFolder.Should().Throw<DirectoryNotFoundException>().WithMessage($"cannot write '{missing}': the folder '{Path.Combine(_folder, "nope")}' does not exist.");

        FolderContents().Should().Equal("charts");
    }

    [Fact]
    public async Task The_stream_is_closed_after_the_commit()
    {
        var file = AtomicFile.Create(Target);
        await using (file)
        {
            await file.CommitAsync();
            var stream = () => file.Stream;
            stream.Should().Throw<ObjectDisposedException>();
            var again = () => file.CommitAsync();
            await again.Should().ThrowAsync<ObjectDisposedException>();
        }

        (await File.ReadAllBytesAsync(Target)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_symbolic_link_keeps_pointing_at_the_replaced_file_and_permissions_are_kept()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // creating symbolic links needs a privilege there
        }

        var real = Path.Combine(_folder, "real.md");
        await File.WriteAllTextAsync(real, "previous");
        File.SetUnixFileMode(real, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var link = Path.Combine(_folder, "link.md");
        File.CreateSymbolicLink(link, "real.md");

        await AtomicFile.WriteAllTextAsync(link, "new");

        new FileInfo(link).LinkTarget.Should().Be("real.md");
        (await File.ReadAllTextAsync(real)).Should().Be("new");
        File.GetUnixFileMode(real).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        FolderContents().Should().Equal("link.md", "real.md");
    }
}
