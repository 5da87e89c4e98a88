namespace AgentRefine.Personas;

/// <summary>Supplies the personas a synthesis run works through.</summary>
public interface IPersonaSource
{
    /// <summary>Reads the personas, in the order they are to be synthesized.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The personas.</returns>
    /// <exception cref="InvalidDataException">A line is malformed; the message names <c>file:line</c>.</exception>
    IAsyncEnumerable<Persona> ReadAsync(CancellationToken cancellationToken = default);
}
