using AgentRefine.Conversion;

namespace AgentRefine.Tokenization;

/// <summary>
/// Mistral-7B-Instruct-v0.3's chat template: <c>&lt;s&gt;</c> once, each user message as
/// <c>[INST] {content}[/INST]</c> (not trimmed), each assistant message as
/// <c> {content | trim}&lt;/s&gt;</c>. A system message is prepended to the first user message with a
/// blank line (<c>[INST] {system}\n\n{user}[/INST]</c>), as LLaMA-Factory's <c>mistral</c> template
/// does: the model's own template puts it into the last user message only when the conversation ends
/// on a user message, and drops it from every row that ends on an assistant turn, i.e. every training
/// row. Trained: a trained turn's content and its <c>&lt;/s&gt;</c>; the template's space before the
/// content is trained where the tokenizer merges it into the content's first token (<c>▁Hello</c>),
/// and masked where it stands alone (<c>▁</c>).
/// </summary>
internal sealed class MistralV03ChatTemplate : ChatTemplate
{
    public const string BeginOfSentence = "<s>";
    public const string EndOfSentence = "</s>";
    public const string BeginInstruction = "[INST]";
    public const string EndInstruction = "[/INST]";

    private readonly int _beginOfSentence;
    private readonly int _endOfSentence;
    private readonly int _beginInstruction;
    private readonly int _endInstruction;

    public MistralV03ChatTemplate(ModelTokenizer tokenizer)
        : base(ChatTemplates.MistralV03, tokenizer)
    {
        _beginOfSentence = tokenizer.RequireSpecialToken(BeginOfSentence, Name);
        _endOfSentence = tokenizer.RequireSpecialToken(EndOfSentence, Name);
        _beginInstruction = tokenizer.RequireSpecialToken(BeginInstruction, Name);
        _endInstruction = tokenizer.RequireSpecialToken(EndInstruction, Name);
    }

    private protected override void Write(TrainingConversation conversation, TemplateWriter writer)
    {
        writer.Special(_beginOfSentence, BeginOfSentence, trained: false);
        var system = conversation.System;
        foreach (var message in conversation.Dialogue)
        {
            if (message.Role == TrainingRole.User)
            {
                writer.Special(_beginInstruction, BeginInstruction, trained: false);
                writer.Text(system is null ? " " + message.Content : " " + system + "\n\n" + message.Content);
                writer.Special(_endInstruction, EndInstruction, trained: false);
                system = null;
                continue;
            }

            var content = PythonWhitespace.Trim(message.Content);
            writer.Text(" " + content, 1, message.Train ? 1 + content.Length : 1);
            writer.Special(_endOfSentence, EndOfSentence, message.Train);
        }
    }
}
