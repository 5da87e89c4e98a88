using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AgentRefine.Conversion;
using AgentRefine.Verification;

namespace AgentRefine.Benchmarks;

/// <summary>
/// Verify + convert throughput over a generated records file, compared in the same run with a plain
/// <see cref="Utf8JsonReader"/> pass over the same bytes (the floor any JSON-reading tool pays), and
/// peak memory while converting (run in a fresh process per size so the peak is that run's own).
/// </summary>
internal static class ConversionThroughput
{
    public static async Task RunAsync(TextWriter output, int records, string format)
    {
        var folder = Directory.CreateTempSubdirectory("agentrefine-convert-bench-").FullName;
        try
        {
            var input = Path.Combine(folder, "records.jsonl");
            var bytes = await GenerateAsync(input, records).ConfigureAwait(false);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Input: {records:N0} records, {bytes / 1e6:F1} MB ({bytes / records:N0} bytes per record)."));

            // Warm-up on a small prefix.
            await FloorAsync(input).ConfigureAwait(false);

            var floor = Stopwatch.StartNew();
            var tokens = await FloorAsync(input).ConfigureAwait(false);
            floor.Stop();

            var clock = Stopwatch.StartNew();
            var statistics = await ConvertAsync(input, Path.Combine(folder, "out.jsonl"), format).ConfigureAwait(false);
            clock.Stop();

            var floorRate = bytes / 1e6 / floor.Elapsed.TotalSeconds;
            var rate = bytes / 1e6 / clock.Elapsed.TotalSeconds;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| pass | seconds | records/s | MB/s | share of floor |"));
            output.WriteLine("|---|---:|---:|---:|---:|");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Utf8JsonReader token pass ({tokens:N0} tokens) | {floor.Elapsed.TotalSeconds:F2} | {records / floor.Elapsed.TotalSeconds:N0} | {floorRate:F0} | 100% |"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| read + verify + convert + write ({format}) | {clock.Elapsed.TotalSeconds:F2} | {records / clock.Elapsed.TotalSeconds:N0} | {rate:F0} | {rate / floorRate * 100:F1}% |"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Conversations: {statistics.Conversations:N0}, skipped: {statistics.SkippedByReason.Values.Sum():N0}, peak working set: {ProcessMemory.PeakResidentMegabytes():F0} MB."));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Converts a generated file of <paramref name="records"/> records to <paramref name="format"/> in a <c>.jsonl</c> or <c>.parquet</c> file and reports the process's peak working set.</summary>
    public static async Task MemoryAsync(TextWriter output, int records, string format = "ms-swift", string extension = "jsonl")
    {
        var folder = Directory.CreateTempSubdirectory("agentrefine-convert-memory-").FullName;
        try
        {
            var input = Path.Combine(folder, "records.jsonl");
            var bytes = await GenerateAsync(input, records).ConfigureAwait(false);
            var before = ProcessMemory.PeakResidentMegabytes();
            var clock = Stopwatch.StartNew();
            var statistics = await ConvertAsync(input, Path.Combine(folder, "out." + extension), format).ConfigureAwait(false);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {records:N0} | {bytes / 1e9:F2} GB | {format} .{extension} | {statistics.Conversations:N0} | {statistics.RowsOut:N0} | {statistics.BytesOut / 1e9:F2} GB | {clock.Elapsed.TotalSeconds:F0} s | {before:F0} MB | {ProcessMemory.PeakResidentMegabytes():F0} MB |"));
            foreach (var (reason, count) in statistics.SkippedByReason)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"skipped: {reason} {count:N0} ({string.Join(", ", statistics.Skipped.Where(s => s.SkipReason == reason).Take(3).Select(s => s.Message))})"));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<ConversionStatistics> ConvertAsync(string input, string output, string format)
    {
        var writer = TrainingDatasetWriters.Create(format, output);
        await using (writer.ConfigureAwait(false))
        {
            return await DatasetConversion.RunAsync(input, new RefinementTuningConverter(new VerifierFactory()), writer).ConfigureAwait(false);
        }
    }

    /// <summary>Reads every token of every line with <see cref="Utf8JsonReader"/>, doing nothing with them.</summary>
    private static async Task<long> FloorAsync(string input)
    {
        long tokens = 0;
        var buffer = new byte[1 << 16];
        var state = new JsonReaderState(new JsonReaderOptions { AllowMultipleValues = true });
        var carry = 0;
        await using var stream = new FileStream(input, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        int read;
        while ((read = await stream.ReadAsync(buffer.AsMemory(carry, buffer.Length - carry)).ConfigureAwait(false)) > 0)
        {
            var length = carry + read;
            (tokens, var consumed, state) = Tokens(buffer.AsSpan(0, length), state, tokens, isFinalBlock: false);
            carry = length - consumed;
            if (carry == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            Buffer.BlockCopy(buffer, consumed, buffer, 0, carry);
        }

        return Tokens(buffer.AsSpan(0, carry), state, tokens, isFinalBlock: true).Tokens;
    }

    private static (long Tokens, int Consumed, JsonReaderState State) Tokens(ReadOnlySpan<byte> data, JsonReaderState state, long tokens, bool isFinalBlock)
    {
        var reader = new Utf8JsonReader(data, isFinalBlock, state);
        while (reader.Read())
        {
            tokens++;
        }

        return (tokens, (int)reader.BytesConsumed, reader.CurrentState);
    }

    /// <summary>Writes records that cycle through the bundled accepted samples, each with its own persona and id.</summary>
    private static async Task<long> GenerateAsync(string path, int records)
    {
        var samples = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "samples", "records.jsonl"))
            .Where(l => l.Contains("\"status\":\"accepted\"", StringComparison.Ordinal))
            .Take(2)
            .Select(l => JsonDocument.Parse(l).RootElement.Clone())
            .ToArray();
        await using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        var line = new MemoryStream();
        for (var i = 0; i < records; i++)
        {
            line.SetLength(0);
            using (var writer = new Utf8JsonWriter(line))
            {
                writer.WriteStartObject();
                foreach (var property in samples[i % samples.Length].EnumerateObject())
                {
                    switch (property.Name)
                    {
                        case "id":
                            writer.WriteString("id", i.ToString("x32", CultureInfo.InvariantCulture));
                            break;
                        case "persona":
                            writer.WriteString("persona", property.Value.GetString() + " #" + i.ToString(CultureInfo.InvariantCulture));
                            break;
                        default:
                            property.WriteTo(writer);
                            break;
                    }
                }

                writer.WriteEndObject();
            }

            line.WriteByte((byte)'\n');
            await stream.WriteAsync(line.GetBuffer().AsMemory(0, (int)line.Length)).ConfigureAwait(false);
        }

        return stream.Length;
    }
}
