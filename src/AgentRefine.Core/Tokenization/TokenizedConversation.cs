namespace AgentRefine.Tokenization;

/// <summary>
/// One conversation as token ids and labels: <see cref="Labels"/> has the length of
/// <see cref="InputIds"/> and holds the id where the token is trained (a trained assistant turn's
/// content and its end-of-turn token) and <see cref="IgnoredLabel"/> everywhere else. Labels are not
/// shifted (the trainer shifts them); the attention mask is all ones (nothing is padded).
/// </summary>
public sealed class TokenizedConversation
{
    /// <summary>The label of a token without loss: PyTorch's <c>CrossEntropyLoss</c> ignore index.</summary>
    public const int IgnoredLabel = -100;

    internal TokenizedConversation(string id, int[] inputIds, int[] labels, int trainedTokens)
    {
        Id = id;
        InputIds = inputIds;
        Labels = labels;
        TrainedTokens = trainedTokens;
    }

    /// <summary>The conversation's id.</summary>
    public string Id { get; }

    /// <summary>The token ids of the rendered conversation.</summary>
    public IReadOnlyList<int> InputIds { get; }

    /// <summary>The labels: the id where the token is trained, <see cref="IgnoredLabel"/> elsewhere.</summary>
    public IReadOnlyList<int> Labels { get; }

    /// <summary>The number of tokens.</summary>
    public int Length => InputIds.Count;

    /// <summary>The number of trained tokens (labels that are not <see cref="IgnoredLabel"/>).</summary>
    public int TrainedTokens { get; }
}
