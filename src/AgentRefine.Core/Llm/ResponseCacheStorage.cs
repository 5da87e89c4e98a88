using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Logging.Abstractions;
using NeoSmart.Caching.Sqlite;

namespace AgentRefine.Llm;

/// <summary>Opens the on-disk store of <see cref="ResponseCacheChatClient"/>.</summary>
public static class ResponseCacheStorage
{
    /// <summary>The database file's name inside the cache folder: <c>responses.db</c>.</summary>
    public const string DatabaseFileName = "responses.db";

    /// <summary>
    /// Opens (creating if missing) the SQLite database <c>responses.db</c> in <paramref name="directory"/>
    /// as an <see cref="IDistributedCache"/>: one file, written transactionally, so a crash never
    /// leaves a torn entry; entries do not expire. Dispose it when done.
    /// </summary>
    /// <param name="directory">The cache folder; created if missing.</param>
    /// <returns>The store.</returns>
    /// <exception cref="IOException">The folder cannot be created or the database cannot be opened; the message names the path.</exception>
    public static IDistributedCache OpenSqlite(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var folder = Path.GetFullPath(directory);
        var path = Path.Combine(folder, DatabaseFileName);
        try
        {
            Directory.CreateDirectory(folder);
            return new SqliteCache(new SqliteCacheOptions { CachePath = path }, NullLogger<SqliteCache>.Instance);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException and not IOException)
        {
            throw new IOException($"Cannot open the response cache '{path}': {exception.Message}", exception);
        }
    }
}
