using System.Text.Json;
using AgentRefine.Json;

namespace AgentRefine.Scoring;

/// <summary>An agent's episode on one task instance, as AgentBoard scores it.</summary>
/// <param name="Run">The run (usually the model) the episode belongs to.</param>
/// <param name="Task">The task: <c>alfworld</c>, <c>scienceworld</c>, <c>babyai</c>, <c>jericho</c>, <c>pddl</c>, or a host's own.</param>
/// <param name="Id">The task instance's id.</param>
/// <param name="Difficulty"><c>easy</c>, <c>hard</c>, or <see langword="null"/>.</param>
/// <param name="Goal">The goal given to the agent.</param>
/// <param name="Subgoals">The annotated subgoals (regexes, wildcard patterns, texts or goal facts, by task).</param>
/// <param name="Steps">The steps, in order.</param>
public sealed record Episode(string Run, string Task, long Id, string? Difficulty, string Goal, IReadOnlyList<string> Subgoals, IReadOnlyList<EpisodeStep> Steps)
{
    /// <summary>The run name used when an episode names none.</summary>
    public const string DefaultRun = "default";

    /// <summary>
    /// The environment's own verdict on the episode (an AgentGym family's success rule, a script's
    /// <c>task_completed</c>), when it gives one; <see langword="null"/> otherwise. Written as <c>success</c>.
    /// A task with an AgentBoard rule ignores it; an episode of any other task is scored from it.
    /// </summary>
    public bool? Success { get; init; }

    /// <summary>Why the episode ended (one of <see cref="EpisodeEndReasons"/>), when the runner recorded it; written as <c>end</c>.</summary>
    public string? EndReason { get; init; }

    /// <summary>What failed when the episode ended early (a model call, the environment), or <see langword="null"/>; written as <c>error</c>.</summary>
    public string? Error { get; init; }

    /// <summary>
    /// The episode as one line of the episodes JSON Lines contract (what <see cref="EpisodeReader"/>
    /// reads back): <c>{"run", "task", "id", "difficulty", "goal", "subgoals", "steps": [{"action", "observation", "valid", "done", "facts"}]}</c>,
    /// <c>facts</c> only on steps that have them; <c>progress</c> and <c>reply</c> per step and <c>success</c>,
    /// <c>end</c> and <c>error</c> per episode only when set. Never throws: a missing value is written as <c>null</c>.
    /// </summary>
    /// <returns>The JSON text, without a line break.</returns>
    public string ToJson() => CanonicalJson.Write(WriteTo, indented: false);

    private void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("run", Run);
        writer.WriteString("task", Task);
        writer.WriteNumber("id", Id);
        writer.WriteString("difficulty", Difficulty);
        writer.WriteString("goal", Goal);
        WriteStrings(writer, "subgoals", Subgoals);
        if (Steps is null)
        {
            writer.WriteNull("steps");
        }
        else
        {
            writer.WriteStartArray("steps");
            foreach (var step in Steps)
            {
                if (step is null)
                {
                    writer.WriteNullValue();
                    continue;
                }

                writer.WriteStartObject();
                writer.WriteString("action", step.Action);
                writer.WriteString("observation", step.Observation);
                writer.WriteBoolean("valid", step.Valid);
                writer.WriteBoolean("done", step.Done);
                if (step.Facts is not null)
                {
                    WriteStrings(writer, "facts", step.Facts);
                }

                if (step.Progress is { } progress && double.IsFinite(progress))
                {
                    writer.WriteNumber("progress", progress);
                }

                if (step.Reply is not null)
                {
                    writer.WriteString("reply", step.Reply);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        if (Success is { } success)
        {
            writer.WriteBoolean("success", success);
        }

        if (EndReason is not null)
        {
            writer.WriteString("end", EndReason);
        }

        if (Error is not null)
        {
            writer.WriteString("error", Error);
        }

        writer.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            writer.WriteNull(name);
            return;
        }

        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }
}
