using System.Text.Json;

namespace AgentRefine.Conversion;

/// <summary>Reads one JSON value of a leaf column's type.</summary>
/// <typeparam name="T">The column's value type.</typeparam>
internal delegate T JsonValueReader<out T>(ref Utf8JsonReader reader);
