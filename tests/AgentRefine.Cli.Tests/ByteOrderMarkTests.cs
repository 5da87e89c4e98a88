using System.Text;

namespace AgentRefine.Cli.Tests;

/// <summary>A records file saved by an editor that writes a UTF-8 byte order mark reads like any other.</summary>
public sealed class ByteOrderMarkTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("agentrefine-bom-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>The bundled sample records, with a byte order mark in front.</summary>
    private string RecordsWithBom()
    {
        var path = Path.Combine(_folder, "records.jsonl");
        File.WriteAllBytes(path, [.. Encoding.UTF8.GetPreamble(), .. File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "samples", "records.jsonl"))]);
        return path;
    }

    [Fact]
    public void Stats_reads_the_first_record()
    {
        var (exit, stdout, stderr) = Cli.Run("stats", RecordsWithBom());

        exit.Should().Be(0, stderr);
        stdout.Should().Contain("  records:              4 (3 accepted, 1 rejected), 0 unreadable lines\n");
    }

    [Fact]
    public void Convert_converts_the_first_record()
    {
        var output = Path.Combine(_folder, "train.jsonl");

        var (exit, stdout, stderr) = Cli.Run("convert", "--input", RecordsWithBom(), "--output", output, "--format", "ms-swift");

        exit.Should().Be(0, stderr);
        stderr.Should().BeEmpty();
        stdout.Should().Contain("  records in:         4\n").And.Contain("  conversations:      2 (2 rows,");
    }
}
