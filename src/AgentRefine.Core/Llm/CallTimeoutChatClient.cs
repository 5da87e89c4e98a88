using Microsoft.Extensions.AI;

namespace AgentRefine.Llm;

/// <summary>
/// Gives each call a time budget: a call the model has not answered within it is abandoned with a
/// <see cref="TimeoutException"/>, which <see cref="ResilientChatClient"/> retries. Placed inside the
/// rate-limit stage, the wait for a permit is not part of the budget. The caller's own cancellation
/// is passed on as is.
/// </summary>
/// <remarks>Add it with <see cref="CallTimeoutChatClientBuilderExtensions.UseAgentRefineCallTimeout"/>. Streaming calls are passed through without a budget.</remarks>
public sealed class CallTimeoutChatClient : DelegatingChatClient
{
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;

    /// <summary>Creates the stage.</summary>
    /// <param name="innerClient">The next stage.</param>
    /// <param name="timeout">The budget of one call; more than zero.</param>
    /// <param name="timeProvider">The clock; the system clock when <see langword="null"/>.</param>
    public CallTimeoutChatClient(IChatClient innerClient, TimeSpan timeout, TimeProvider? timeProvider = null)
        : base(innerClient)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        _timeout = timeout;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var timeout = new CancellationTokenSource(_timeout, _time);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await base.GetResponseAsync(messages, options, attempt.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested && timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"The model did not answer within {_timeout.TotalSeconds:0.###} s.", exception);
        }
    }
}
