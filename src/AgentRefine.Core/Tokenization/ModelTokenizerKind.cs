namespace AgentRefine.Tokenization;

/// <summary>Which kind of tokenizer a model folder holds.</summary>
public enum ModelTokenizerKind
{
    /// <summary>Byte-level BPE from <c>tokenizer.json</c> (Llama-3, GPT-2 and their kin).</summary>
    ByteLevelBpe,

    /// <summary>SentencePiece BPE from <c>tokenizer.model</c> (Mistral, Llama-2).</summary>
    SentencePieceBpe,
}
