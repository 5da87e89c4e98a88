namespace AgentRefine.Conversion;

/// <summary>
/// The AgentGym / AgentInstruct / Agent-FLAN layout: <c>{"item_id", "conversations": [{"from": "human"|"gpt", "value", "loss"}]}</c>,
/// <c>loss</c> <see langword="false"/> on human turns and the train flag on gpt turns, written by default as one
/// JSON array (<c>[{…},\n{…}]</c>, streamed), which is what AgentGym's <c>BCTrainer</c> reads
/// (<c>json.load</c>, then each item's <c>item_id</c> and <c>conversations</c>); JSON Lines with
/// <see cref="DatasetContainer.JsonLines"/> for tools that stream. The format has no system role: a system
/// message is put before the first human turn's text, separated by a blank line.
/// </summary>
/// <remarks>
/// AgentGym's <c>BCTrainer</c> (<c>agentenv/agentenv/trainer/bc_trainer.py</c>) ignores <c>loss</c>: it labels
/// every gpt turn, so the masked mistakes are trained. Use a format whose trainer honours the mask
/// (ms-swift, axolotl, LLaMA-Factory) for refinement tuning; this one is for tools that read the flag.
/// </remarks>
public sealed class AgentGymDatasetWriter : JsonlDatasetWriter
{
    /// <summary>The format's name.</summary>
    public const string Name = "agentgym";

    /// <summary>Creates the writer: a JSON array.</summary>
    /// <param name="path">The dataset file.</param>
    public AgentGymDatasetWriter(string path)
        : this(path, null)
    {
    }

    /// <summary>Creates the writer: a JSON array unless <see cref="DatasetWriterOptions.Container"/> says <see cref="DatasetContainer.JsonLines"/>.</summary>
    /// <param name="path">The dataset (train) file.</param>
    /// <param name="options">The container and the eval split; defaults when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">Parquet is asked for: AgentGym's trainer reads JSON only.</exception>
    public AgentGymDatasetWriter(string path, DatasetWriterOptions? options)
        : base(path, options, DatasetContainer.JsonArray, null, "AgentGym's BCTrainer reads its train file with json.load (a JSON array): write agentgym as .json (or JSON Lines for tools that stream), not Parquet")
    {
    }

    /// <inheritdoc />
    public override string FormatName => Name;

    /// <inheritdoc />
    private protected override bool CanRenderConcurrently => true;

    /// <inheritdoc />
    protected override void WriteRows(TrainingConversation conversation) => WriteRow(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("item_id", conversation.Id);
        writer.WriteStartArray("conversations");
        var system = conversation.System;
        foreach (var message in conversation.Dialogue)
        {
            writer.WriteStartObject();
            writer.WriteString("from", message.Role == TrainingRole.User ? "human" : "gpt");
            writer.WriteString("value", system is null ? message.Content : system + "\n\n" + message.Content);
            writer.WriteBoolean("loss", message.Train);
            writer.WriteEndObject();
            system = null;
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });
}
