using AgentRefine.Conversion;

namespace AgentRefine.Tokenization;

/// <summary>
/// A model's chat template, written in code and bound to its tokenizer: it renders a conversation
/// exactly as the model's Hugging Face <c>chat_template</c> does (without a generation prompt), and
/// tokenizes it into ids and labels that line up with the tokens of that rendered text encoded
/// without added special tokens. Create one with <see cref="ChatTemplates.Create"/>. Thread-safe.
/// </summary>
/// <remarks>
/// A conversation is accepted when it has an optional system message first, then user and assistant
/// messages alternating from the user and ending with the assistant, loss on assistant messages
/// only, at least one trained assistant message, no special token written in any content (the
/// tokenizer would read it as a control token) and valid UTF-16. Anything else is refused with a
/// <see cref="DatasetFormatException"/> naming the conversation and the rule, never emitted.
/// </remarks>
public abstract class ChatTemplate
{
    private protected ChatTemplate(string name, ModelTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        Name = name;
        Tokenizer = tokenizer;
    }

    /// <summary>The template's name (see <see cref="ChatTemplates.Names"/>).</summary>
    public string Name { get; }

    /// <summary>The tokenizer the template is bound to.</summary>
    public ModelTokenizer Tokenizer { get; }

    /// <summary>Renders the conversation as the model's Hugging Face chat template does.</summary>
    /// <param name="conversation">The conversation.</param>
    /// <returns>The rendered text.</returns>
    /// <exception cref="DatasetFormatException">The conversation breaks a rule (see the remarks).</exception>
    public string Render(TrainingConversation conversation)
    {
        Validate(conversation);
        var writer = new TemplateWriter.Rendering();
        Write(conversation, writer);
        return writer.Output.ToString();
    }

    /// <summary>Tokenizes the conversation into ids and labels.</summary>
    /// <param name="conversation">The conversation.</param>
    /// <returns>The ids and labels.</returns>
    /// <exception cref="DatasetFormatException">The conversation breaks a rule (see the remarks).</exception>
    public TokenizedConversation Tokenize(TrainingConversation conversation)
    {
        Validate(conversation);
        var writer = new TemplateWriter.Tokenizing(Tokenizer.Encoder);
        Write(conversation, writer);
        var row = writer.Row;
        return new TokenizedConversation(conversation.Id, [.. row.Ids], [.. row.Labels], row.TrainedCount);
    }

    /// <summary>Writes the conversation (already validated) as special tokens and the text between them.</summary>
    private protected abstract void Write(TrainingConversation conversation, TemplateWriter writer);

    private void Validate(TrainingConversation conversation)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        var messages = conversation.Messages;
        var first = messages.Count > 0 && messages[0].Role == TrainingRole.System ? 1 : 0;
        if (messages.Count - first == 0)
        {
            throw Refused(conversation, "it has no user or assistant message");
        }

        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            if (i >= first)
            {
                var expected = (i - first) % 2 == 0 ? TrainingRole.User : TrainingRole.Assistant;
                if (message.Role != expected)
                {
                    throw Refused(conversation, $"messages[{i}] is {WithArticle(message.Role)} message where {WithArticle(expected)} message is due (after an optional system message, user and assistant alternate, starting with the user)");
                }
            }

            if (message.Train && message.Role != TrainingRole.Assistant)
            {
                throw Refused(conversation, $"messages[{i}] is {WithArticle(message.Role)} message marked for training (loss goes on assistant messages only)");
            }

            if (Utf16.FirstInvalidIndex(message.Content) is var invalid and >= 0)
            {
                throw Refused(conversation, $"messages[{i}] has a lone surrogate at character {invalid} (not valid UTF-16)");
            }

            if (Tokenizer.SpecialTokenMatcher.FindFirst(message.Content) is { } special)
            {
                throw Refused(conversation, $"messages[{i}] contains the text '{special}', which the tokenizer reads as a special token");
            }
        }

        if (messages[^1].Role != TrainingRole.Assistant)
        {
            throw Refused(conversation, "it does not end with an assistant message");
        }

        if (!messages.Any(m => m.Role == TrainingRole.Assistant && m.Train))
        {
            throw Refused(conversation, "no assistant message is trained");
        }
    }

    internal static string RoleName(TrainingRole role) => role switch
    {
        TrainingRole.System => "system",
        TrainingRole.User => "user",
        _ => "assistant",
    };

    private static string WithArticle(TrainingRole role) => role == TrainingRole.Assistant ? "an assistant" : "a " + RoleName(role);

    private DatasetFormatException Refused(TrainingConversation conversation, string rule) =>
        new($"Conversation {conversation.Id} cannot be tokenized with the {Name} template: {rule}.");
}
