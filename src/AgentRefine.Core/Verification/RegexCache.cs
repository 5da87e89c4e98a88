using System.Text.RegularExpressions;

namespace AgentRefine.Verification;

/// <summary>
/// A bounded, thread-safe map from pattern text to a compiled expression (or to its anchored form).
/// When full it starts over: LLM-written scripts bring mostly new patterns, so recency beats history,
/// and clearing a plain dictionary under a lock is cheap, where clearing and regrowing a
/// <see cref="System.Collections.Concurrent.ConcurrentDictionary{TKey, TValue}"/> costs microseconds per entry.
/// </summary>
internal sealed class RegexCache(int capacity)
{
    private readonly Dictionary<string, Regex?> _entries = new(capacity, StringComparer.Ordinal);

    /// <summary>The cached value for <paramref name="key"/>, or the one <paramref name="create"/> makes (created outside the lock).</summary>
    public Regex? GetOrAdd<TState>(string key, TState state, Func<TState, Regex?> create)
    {
        lock (_entries)
        {
            if (_entries.TryGetValue(key, out var cached))
            {
                return cached;
            }
        }

        var value = create(state);
        lock (_entries)
        {
            if (_entries.TryGetValue(key, out var raced))
            {
                return raced;
            }

            if (_entries.Count >= capacity)
            {
                _entries.Clear();
            }

            _entries.Add(key, value);
            return value;
        }
    }
}
