namespace AgentRefine.Llm;

/// <summary>How a generation asks the server for JSON (servers differ in what they support; the reply is parsed tolerantly either way).</summary>
public enum StructuredOutputMode
{
    /// <summary>Plain text; the prompt alone asks for JSON.</summary>
    None,

    /// <summary>JSON mode (<c>response_format: json_object</c>): the reply is a JSON object.</summary>
    JsonObject,

    /// <summary>JSON-schema mode (<c>response_format: json_schema</c>) with the library's schema for the stage.</summary>
    JsonSchema,
}
