using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace AgentRefine.Core.Tests.Fakes;

/// <summary>
/// A second, non-AgentBoard evaluator for composition tests: records what it was given and reports
/// one metric, <see cref="MetricName"/>, the number of assistant messages in the model response.
/// </summary>
internal sealed class RecordingEvaluator : IEvaluator
{
    public const string MetricName = "Assistant Messages";

    public IReadOnlyCollection<string> EvaluationMetricNames { get; } = [MetricName];

    public IReadOnlyList<ChatMessage>? Messages { get; private set; }

    public ChatResponse? Response { get; private set; }

    public IReadOnlyList<EvaluationContext>? Contexts { get; private set; }

    public ValueTask<EvaluationResult> EvaluateAsync(IEnumerable<ChatMessage> messages, ChatResponse modelResponse, ChatConfiguration? chatConfiguration = null, IEnumerable<EvaluationContext>? additionalContext = null, CancellationToken cancellationToken = default)
    {
        Messages = [.. messages];
        Response = modelResponse;
        Contexts = additionalContext?.ToList();
        var count = modelResponse.Messages.Count(m => m.Role == ChatRole.Assistant);
        return ValueTask.FromResult(new EvaluationResult(new NumericMetric(MetricName, count, $"{count} assistant messages.")));
    }
}
