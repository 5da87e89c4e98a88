using AgentRefine.Trajectories;

namespace AgentRefine.Conversion;

/// <summary>Accumulates conversion statistics.</summary>
internal sealed class ConversionStatisticsBuilder
{
    private readonly Dictionary<string, int> _skipped = new(StringComparer.Ordinal);
    private readonly List<ConversionOutcome> _skippedList = [];
    private readonly Dictionary<string, long> _errorTypes = DmTurn.ErrorFlagKeys.ToDictionary(k => k, _ => 0L, StringComparer.Ordinal);
    private int _records;
    private int _conversations;
    private long _trained;
    private long _masked;

    public void Converted(TrainingConversation conversation)
    {
        _records++;
        _conversations++;
        foreach (var message in conversation.Messages)
        {
            if (message.Role != TrainingRole.Assistant)
            {
                continue;
            }

            if (message.Train)
            {
                _trained++;
            }
            else
            {
                _masked++;
            }

            foreach (var type in message.ErrorTypes)
            {
                _errorTypes[type] = _errorTypes.GetValueOrDefault(type) + 1;
            }
        }
    }

    public void Skip(ConversionOutcome outcome, int maxListed)
    {
        _records++;
        var reason = outcome.SkipReason ?? "unknown";
        _skipped[reason] = _skipped.GetValueOrDefault(reason) + 1;
        if (_skippedList.Count < maxListed)
        {
            _skippedList.Add(outcome);
        }
    }

    public ConversionStatistics Build(ITrainingDatasetWriter writer) => new()
    {
        RecordsIn = _records,
        Conversations = _conversations,
        RowsOut = writer.RowsWritten,
        BytesOut = writer.BytesWritten,
        EvalConversations = writer.EvalConversationsWritten,
        EvalRowsOut = writer.EvalRowsWritten,
        SkippedByReason = new Dictionary<string, int>(_skipped, StringComparer.Ordinal),
        Skipped = [.. _skippedList],
        TrainedTurns = _trained,
        MaskedTurns = _masked,
        ErroneousTurnsByType = new Dictionary<string, long>(_errorTypes, StringComparer.Ordinal),
    };
}
