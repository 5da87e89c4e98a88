namespace AgentRefine.Tokenization;

/// <summary>Collects the ids of one row and their labels (the id where the token is trained, <c>-100</c> elsewhere).</summary>
internal sealed class TokenRowBuilder
{
    /// <summary>The label of a token without loss (PyTorch's <c>CrossEntropyLoss</c> ignore index).</summary>
    public const int Ignored = -100;

    public List<int> Ids { get; } = new(256);

    public List<int> Labels { get; } = new(256);

    public int TrainedCount { get; private set; }

    public void Add(int id, bool trained)
    {
        Ids.Add(id);
        Labels.Add(trained ? id : Ignored);
        if (trained)
        {
            TrainedCount++;
        }
    }

    /// <summary>Whether the characters <c>[start, end)</c> of a segment overlap its trained characters <c>[trainedStart, trainedEnd)</c>.</summary>
    public static bool Overlaps(int start, int end, int trainedStart, int trainedEnd) =>
        trainedStart < trainedEnd && start < trainedEnd && end > trainedStart;
}
