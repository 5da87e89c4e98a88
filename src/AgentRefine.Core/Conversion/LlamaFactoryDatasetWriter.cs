using AgentRefine.IO;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentRefine.Conversion;

/// <summary>
/// LLaMA-Factory's stable engine (sharegpt): <c>{"conversations": [{"from": "human"|"gpt", "value"}], "system"}</c>.
/// That engine has no per-turn loss switch, only <c>mask_history</c> (train the last turn only), so
/// exact masking is done by writing one sample per trained assistant turn, holding the whole history
/// up to that turn; train with <c>mask_history: true</c>. The cost is quadratic in turns: a
/// conversation with n trained turns is written n times (see <see cref="JsonlDatasetWriter.BytesWritten"/>).
/// The <c>dataset_info.json</c> entry is written (or updated, keeping other entries) beside the file,
/// named after the file.
/// </summary>
/// <param name="path">The dataset file.</param>
public sealed class LlamaFactoryDatasetWriter(string path) : JsonlDatasetWriter(path)
{
    /// <summary>The format's name.</summary>
    public const string Name = "llamafactory";

    private bool _hasSystem;

    /// <inheritdoc />
    public override string FormatName => Name;

    /// <summary>The dataset's name in <c>dataset_info.json</c>: the file name without its extension.</summary>
    public string DatasetName => Path.GetFileNameWithoutExtension(OutputPath);

    /// <inheritdoc />
    protected override void WriteRows(TrainingConversation conversation)
    {
        var dialogue = conversation.Dialogue.ToList();
        var system = conversation.System;
        _hasSystem |= system is not null;
        for (var end = 1; end < dialogue.Count; end += 2)
        {
            if (!dialogue[end].Train)
            {
                continue;
            }

            var last = end;
            WriteRow(writer =>
            {
                writer.WriteStartObject();
                writer.WriteStartArray("conversations");
                for (var i = 0; i <= last; i++)
                {
                    writer.WriteStartObject();
                    writer.WriteString("from", dialogue[i].Role == TrainingRole.User ? "human" : "gpt");
                    writer.WriteString("value", dialogue[i].Content);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                if (system is not null)
                {
                    writer.WriteString("system", system);
                }

                writer.WriteEndObject();
            });
        }
    }

    /// <inheritdoc />
    protected override async ValueTask WriteSideFilesAsync(CancellationToken cancellationToken)
    {
        var infoPath = Path.Combine(Path.GetDirectoryName(OutputPath)!, "dataset_info.json");
        JsonObject info;
        try
        {
            info = File.Exists(infoPath)
                ? JsonNode.Parse(await File.ReadAllTextAsync(infoPath, cancellationToken).ConfigureAwait(false)) as JsonObject
                    ?? throw new DatasetFormatException($"{infoPath} is not a JSON object; it was left unchanged.")
                : [];
        }
        catch (JsonException exception)
        {
            throw new DatasetFormatException($"{infoPath} is not valid JSON ({exception.Message}); it was left unchanged.", exception);
        }

        var columns = new JsonObject { ["messages"] = "conversations" };
        if (_hasSystem)
        {
            columns["system"] = "system";
        }

        info[DatasetName] = new JsonObject
        {
            ["file_name"] = Path.GetFileName(OutputPath),
            ["formatting"] = "sharegpt",
            ["columns"] = columns,
            ["tags"] = new JsonObject
            {
                ["role_tag"] = "from",
                ["content_tag"] = "value",
                ["user_tag"] = "human",
                ["assistant_tag"] = "gpt",
            },
        };
        await AtomicFile.WriteAllTextAsync(infoPath, info.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n", cancellationToken).ConfigureAwait(false);
    }
}
