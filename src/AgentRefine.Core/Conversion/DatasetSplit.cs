using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace AgentRefine.Conversion;

/// <summary>
/// The train / eval split by trajectory: a record goes to eval when <see cref="Position"/> of its id and the
/// seed is below the eval fraction. The decision depends on the id and the seed only, never on the other
/// records, so a record stays on its side when the file grows, and every row made from it (LLaMA-Factory's
/// prefixes included) stays with it. The eval share is the fraction on average, not exactly.
/// </summary>
/// <remarks>
/// The same split in Python: <c>int.from_bytes(hashlib.sha256(f"{seed}\n{id}".encode()).digest()[:8], "big") / 2**64 &lt; fraction</c>.
/// </remarks>
public static class DatasetSplit
{
    /// <summary>Where a record falls in [0, 1): the first 8 bytes of SHA-256 of <c>"{seed}\n{id}"</c> (UTF-8), big-endian, over 2^64.</summary>
    /// <param name="id">The record id.</param>
    /// <param name="seed">The seed.</param>
    /// <returns>A number in [0, 1), uniform over ids.</returns>
    public static double Position(string id, int seed)
    {
        ArgumentNullException.ThrowIfNull(id);
        var key = Encoding.UTF8.GetBytes(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{seed}\n{id}"));
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(key, hash);
        return BinaryPrimitives.ReadUInt64BigEndian(hash) / 18446744073709551616.0;
    }

    /// <summary>Whether the record with <paramref name="id"/> goes to the eval file.</summary>
    /// <param name="id">The record id.</param>
    /// <param name="evalFraction">The eval fraction, in [0, 1).</param>
    /// <param name="seed">The seed.</param>
    /// <returns><see langword="true"/> for eval.</returns>
    public static bool IsEval(string id, double evalFraction, int seed) => evalFraction > 0 && Position(id, seed) < evalFraction;

    /// <summary>The default eval file of a dataset: <c>train.jsonl</c> → <c>train.eval.jsonl</c>, <c>train.parquet</c> → <c>train.eval.parquet</c>, <c>data/sft</c> → <c>data/sft.eval</c>.</summary>
    /// <param name="datasetPath">The dataset (train) file.</param>
    /// <returns>The eval file's path.</returns>
    public static string EvalPath(string datasetPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(datasetPath);
        return Path.ChangeExtension(datasetPath, null) + ".eval" + Path.GetExtension(datasetPath);
    }
}
