namespace AgentRefine.Conversion;

/// <summary>How a dataset file stores its rows. The format (ms-swift, axolotl, …) says what a row holds; the container says how rows are laid out in the file.</summary>
public enum DatasetContainer
{
    /// <summary>JSON Lines: one JSON object a line (<c>.jsonl</c>), what most trainers and every streaming tool read. The default of every format except <c>agentgym</c>.</summary>
    JsonLines,

    /// <summary>One JSON array of row objects (<c>.json</c>), what AgentGym's <c>BCTrainer</c> reads with <c>json.load</c>; the default of <c>agentgym</c>. Written row by row, never built in memory.</summary>
    JsonArray,

    /// <summary>
    /// Apache Parquet (<c>.parquet</c>) with the row's lists as <c>list&lt;struct&gt;</c> columns (for example
    /// <c>messages: list&lt;struct&lt;role: string, content: string, loss: bool&gt;&gt;</c>), the layout Hugging Face
    /// <c>datasets</c> reads and writes; row groups are written as they fill, so memory stays flat.
    /// </summary>
    Parquet,
}
