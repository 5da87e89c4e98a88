using AgentRefine.Conversion;

namespace AgentRefine.Tokenization;

/// <summary>
/// Llama-3 Instruct's chat template: <c>&lt;|begin_of_text|&gt;</c> once, then per message
/// <c>&lt;|start_header_id|&gt;{role}&lt;|end_header_id|&gt;\n\n{content | trim}&lt;|eot_id|&gt;</c>
/// (<c>trim</c> is Python's <c>str.strip()</c>). The model's template ends every rendering with the
/// header of a next assistant turn (a generation prompt); a training row ends at the last
/// <c>&lt;|eot_id|&gt;</c> instead. Trained: a trained turn's content and its <c>&lt;|eot_id|&gt;</c>.
/// </summary>
internal sealed class Llama3ChatTemplate : ChatTemplate
{
    public const string BeginOfText = "<|begin_of_text|>";
    public const string StartHeader = "<|start_header_id|>";
    public const string EndHeader = "<|end_header_id|>";
    public const string EndOfTurn = "<|eot_id|>";
    private const string HeaderEnd = "\n\n";

    private readonly int _beginOfText;
    private readonly int _startHeader;
    private readonly int _endHeader;
    private readonly int _endOfTurn;

    public Llama3ChatTemplate(ModelTokenizer tokenizer)
        : base(ChatTemplates.Llama3, tokenizer)
    {
        _beginOfText = tokenizer.RequireSpecialToken(BeginOfText, Name);
        _startHeader = tokenizer.RequireSpecialToken(StartHeader, Name);
        _endHeader = tokenizer.RequireSpecialToken(EndHeader, Name);
        _endOfTurn = tokenizer.RequireSpecialToken(EndOfTurn, Name);
    }

    private protected override void Write(TrainingConversation conversation, TemplateWriter writer)
    {
        writer.Special(_beginOfText, BeginOfText, trained: false);
        foreach (var message in conversation.Messages)
        {
            var trained = message.Role == TrainingRole.Assistant && message.Train;
            var content = PythonWhitespace.Trim(message.Content);
            writer.Special(_startHeader, StartHeader, trained: false);
            writer.Text(RoleName(message.Role));
            writer.Special(_endHeader, EndHeader, trained: false);
            writer.Text(HeaderEnd + content, HeaderEnd.Length, trained ? HeaderEnd.Length + content.Length : HeaderEnd.Length);
            writer.Special(_endOfTurn, EndOfTurn, trained);
        }
    }
}
