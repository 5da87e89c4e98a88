using System.Text;

namespace AgentRefine.Tokenization;

/// <summary>
/// What a chat template writes: special tokens, and the text between them (one call per stretch
/// between two special tokens, with the characters of it that are trained). One writer renders the
/// text, the other builds the row of ids and labels.
/// </summary>
internal abstract class TemplateWriter
{
    /// <summary>Writes a special token.</summary>
    /// <param name="id">Its id.</param>
    /// <param name="text">Its text.</param>
    /// <param name="trained">Whether it is trained (an end-of-turn token of a trained turn).</param>
    public abstract void Special(int id, string text, bool trained);

    /// <summary>Writes the text between two special tokens.</summary>
    /// <param name="text">The text.</param>
    /// <param name="trainedStart">The first trained character.</param>
    /// <param name="trainedEnd">The end of the trained characters (equal to <paramref name="trainedStart"/> when none is).</param>
    public abstract void Text(string text, int trainedStart = 0, int trainedEnd = 0);

    /// <summary>Renders the template as text.</summary>
    public sealed class Rendering : TemplateWriter
    {
        public StringBuilder Output { get; } = new();

        public override void Special(int id, string text, bool trained) => Output.Append(text);

        public override void Text(string text, int trainedStart = 0, int trainedEnd = 0) => Output.Append(text);
    }

    /// <summary>Builds the ids and labels, stretch by stretch as Hugging Face's tokenizer encodes the rendered text.</summary>
    public sealed class Tokenizing(TextEncoder encoder) : TemplateWriter
    {
        private bool _started;

        public TokenRowBuilder Row { get; } = new();

        public override void Special(int id, string text, bool trained)
        {
            Row.Add(id, trained);
            _started = true;
        }

        public override void Text(string text, int trainedStart = 0, int trainedEnd = 0)
        {
            encoder.Encode(text, atStart: !_started, Row, trainedStart, trainedEnd);
            _started |= text.Length > 0;
        }
    }
}
