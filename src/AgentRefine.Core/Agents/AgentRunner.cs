using AgentRefine.Environments;
using AgentRefine.Llm;
using AgentRefine.Scoring;
using Microsoft.Extensions.AI;

namespace AgentRefine.Agents;

/// <summary>
/// The ReAct player: runs one episode of an <see cref="IAgentEnvironment"/> with an
/// <see cref="IChatClient"/> (the <c>agent</c> role). At most <see cref="AgentRunnerOptions.MaxSteps"/>
/// steps; each step renders the prompt in the configured layout (within the context budget), asks the
/// model, parses the action and sends it to the environment. The episode ends when the environment
/// reports done or success, at the step limit, or when a model call finally fails (the failed step
/// counts, as an invalid step with an empty action and observation, and the reason is recorded). A
/// reply without an action is an invalid step whose observation tells the agent so; the environment
/// is not called. The environment's episode is always disposed. Thread-safe: one runner serves many
/// concurrent episodes.
/// </summary>
public sealed class AgentRunner
{
    private readonly IChatClient _chatClient;
    private readonly AgentRunnerOptions _options;
    private readonly PromptLayout _layout;

    /// <summary>Creates the runner.</summary>
    /// <param name="chatClient">The agent's model.</param>
    /// <param name="options">Settings (copied); defaults when <see langword="null"/>.</param>
    /// <param name="tokenCounter">Counts prompt tokens for the context budget; <see cref="EstimatedTokenCounter"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public AgentRunner(IChatClient chatClient, AgentRunnerOptions? options = null, ITokenCounter? tokenCounter = null)
    {
        ArgumentNullException.ThrowIfNull(chatClient);
        _chatClient = chatClient;
        _options = options?.Clone() ?? new AgentRunnerOptions();
        _options.Validate();
        _layout = PromptLayout.Create(_options, tokenCounter ?? EstimatedTokenCounter.Instance);
    }

    /// <summary>The settings (a copy).</summary>
    public AgentRunnerOptions Options => _options.Clone();

    /// <summary>The messages the runner sends for a step, after the context budget (for tests).</summary>
    internal IList<ChatMessage> BuildMessages(EnvironmentStart start, IReadOnlyList<AgentHistoryEntry> history, out int dropped) => _layout.Build(start, history, out dropped);

    /// <summary>Runs one episode. Never throws for a model or environment failure: every failure is a recorded reason.</summary>
    /// <param name="environment">The environment.</param>
    /// <param name="taskIndex">The task instance.</param>
    /// <param name="cancellationToken">Cancels the episode (the environment's episode is still disposed).</param>
    /// <returns>The episode, or why it could not run.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<AgentEpisodeResult> RunAsync(IAgentEnvironment environment, long taskIndex, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environment);
        IEnvironmentEpisode session;
        try
        {
            session = await environment.StartAsync(taskIndex, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (IsEnvironmentFailure(exception, cancellationToken))
        {
            return new AgentEpisodeResult(taskIndex, null, $"the environment could not start task {taskIndex}: {exception.Message}") { StopsRun = exception is AgentEnvironmentException { IsFatal: true } };
        }

        await using (session.ConfigureAwait(false))
        {
            return await PlayAsync(environment.Task, taskIndex, session, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<AgentEpisodeResult> PlayAsync(string task, long taskIndex, IEnvironmentEpisode session, CancellationToken cancellationToken)
    {
        var start = session.Start;
        var history = new List<AgentHistoryEntry>();
        var steps = new List<EpisodeStep>();
        var chatOptions = _layout.CreateOptions();
        bool? success = null;
        string end = EpisodeEndReasons.MaxSteps;
        string? error = null;
        for (var step = 0; step < _options.MaxSteps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var messages = _layout.Build(start, history, out _);
            string reply;
            try
            {
                var response = await _chatClient.GetResponseAsync(messages, chatOptions.Clone(), cancellationToken).ConfigureAwait(false);
                reply = response.Text ?? string.Empty;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception exception) when (exception is LlmTransportException or HttpRequestException && LlmErrors.IsFatal(exception, cancellationToken))
            {
                return new AgentEpisodeResult(taskIndex, null, $"the model call failed: {LlmErrors.Classify(exception)}: {exception.Message}") { StopsRun = true };
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // AgentBoard's rule: the failed step counts (an invalid step), and the episode ends with the progress it had.
                steps.Add(new EpisodeStep(string.Empty, string.Empty, Valid: false, Done: false));
                end = EpisodeEndReasons.ModelFailed;
                error = $"step {step}: the model call failed: {LlmErrors.Classify(exception)}: {exception.Message}";
                break;
            }

            if (reply.Length > _options.MaxReplyCharacters)
            {
                reply = reply[.._options.MaxReplyCharacters];
            }

            var kept = _options.KeepReplies ? reply : null;
            if (_layout.ParseAction(reply) is not { } action)
            {
                var feedback = _layout.MissingActionFeedback;
                steps.Add(new EpisodeStep(string.Empty, feedback, Valid: false, Done: false) { Reply = kept });
                history.Add(new AgentHistoryEntry(reply, string.Empty, feedback));
                continue;
            }

            EnvironmentStepResult result;
            try
            {
                result = await session.StepAsync(action, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (IsEnvironmentFailure(exception, cancellationToken))
            {
                end = EpisodeEndReasons.EnvironmentFailed;
                error = $"step {step}: the environment failed: {exception.Message}";
                break;
            }

            var progress = result.Progress is { } p && double.IsFinite(p) ? Math.Clamp(p, 0, 1) : (double?)null;
            var finished = result.Done || result.Success == true;
            steps.Add(new EpisodeStep(action, result.Observation, result.Valid, finished) { Progress = progress, Reply = kept });
            history.Add(new AgentHistoryEntry(reply, action, result.Observation));
            success = result.Success ?? success;
            if (finished)
            {
                end = EpisodeEndReasons.Done;
                break;
            }
        }

        var episode = new Episode(_options.Run, task, taskIndex, start.Difficulty, start.Goal, [], steps)
        {
            Success = success,
            EndReason = end,
            Error = error,
        };
        return new AgentEpisodeResult(taskIndex, episode, null);
    }

    /// <summary>An environment's failure (its own exception, or any other one from a faulty implementation), not a cancellation.</summary>
    private static bool IsEnvironmentFailure(Exception exception, CancellationToken cancellationToken) =>
        exception is not OutOfMemoryException && !(exception is OperationCanceledException && cancellationToken.IsCancellationRequested);
}
