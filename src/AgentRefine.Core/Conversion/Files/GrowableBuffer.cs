using System.Runtime.CompilerServices;

namespace AgentRefine.Conversion;

/// <summary>An append-only array that keeps its capacity across <see cref="Clear"/> (one row group's column values).</summary>
/// <typeparam name="T">The element type.</typeparam>
internal sealed class GrowableBuffer<T>
{
    private T[] _items = new T[256];

    public int Count { get; private set; }

    public ReadOnlyMemory<T> Memory => _items.AsMemory(0, Count);

    public void Add(T item)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        _items[Count++] = item;
    }

    public void Clear()
    {
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            // Let the row group's strings be collected.
            Array.Clear(_items, 0, Count);
        }

        Count = 0;
    }
}
