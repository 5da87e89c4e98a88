using AgentRefine.Tokenization;

namespace AgentRefine.Agents;

/// <summary>
/// Counts tokens with the model's own tokenizer (<see cref="ModelTokenizer"/>), so the runner's context
/// budget is exact instead of estimated. Register it as the <see cref="ITokenCounter"/>:
/// <c>services.AddSingleton&lt;ITokenCounter&gt;(new ModelTokenCounter(ModelTokenizer.Load(dir)))</c>.
/// </summary>
/// <param name="tokenizer">The model's tokenizer.</param>
public sealed class ModelTokenCounter(ModelTokenizer tokenizer) : ITokenCounter
{
    private readonly ModelTokenizer _tokenizer = tokenizer ?? throw new ArgumentNullException(nameof(tokenizer));

    /// <inheritdoc />
    public int CountTokens(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _tokenizer.Encode(text).Count;
    }
}
