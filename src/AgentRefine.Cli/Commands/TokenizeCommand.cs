using System.CommandLine;
using System.Globalization;
using AgentRefine.Tokenization;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRefine.Cli.Commands;

/// <summary>
/// <c>agentrefine tokenize --input conversations.jsonl --output tokens.jsonl --template llama3|mistral-v0.3 --tokenizer DIR [--max-length N]</c>:
/// a chat dataset in the OpenAI fine-tuning shape → token rows (<c>input_ids</c>, <c>labels</c>,
/// <c>attention_mask</c>) rendered with the model's chat template and tokenized with its tokenizer.
/// Refused rows and rows over the maximum length are counted and listed, never written. Exit 0 done,
/// 2 bad usage, an unreadable tokenizer or input (naming <c>file:line</c>).
/// </summary>
internal static class TokenizeCommand
{
    public static Command Create()
    {
        var input = new Option<FileInfo>("--input") { Description = "The chat dataset: JSON Lines of {\"messages\": [{\"role\", \"content\", \"weight\"?}]} (an assistant message without weight is trained; weight 0 keeps it in context without loss).", Required = true };
        var output = new Option<FileInfo>("--output") { Description = "The token rows to write (JSON Lines of input_ids, labels, attention_mask; replaced when complete, never partial).", Required = true };
        var template = new Option<string>("--template") { Description = $"The chat template: {string.Join(", ", ChatTemplates.Names)}.", Required = true };
        template.AcceptOnlyFromAmong([.. ChatTemplates.Names]);
        var tokenizer = new Option<DirectoryInfo>("--tokenizer") { Description = "The Hugging Face model folder with tokenizer.json (byte-level BPE, e.g. Llama-3) or tokenizer.model (SentencePiece, e.g. Mistral).", Required = true };
        var maxLength = new Option<int?>("--max-length") { Description = "Skip (and count) rows with more than N tokens; rows are never cut." };
        OptionRules.RequireAtLeast(maxLength, 1);

        var command = new Command("tokenize", "Render a chat dataset with a model's chat template and tokenize it into input_ids and labels (-100 on everything but the trained assistant turns and their end-of-turn tokens). Exit 0 done, 2 bad usage or unreadable input.\n\nExamples:\n  agentrefine tokenize --input train.openai.jsonl --output tokens.jsonl --template llama3 --tokenizer models/Meta-Llama-3-8B-Instruct\n  agentrefine tokenize --input train.openai.jsonl --output tokens.jsonl --template mistral-v0.3 --tokenizer models/Mistral-7B-Instruct-v0.3 --max-length 8192")
        {
            input, output, template, tokenizer, maxLength,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var io = parseResult.InvocationConfiguration;
            var inputFile = parseResult.GetRequiredValue(input);
            var outputFile = parseResult.GetRequiredValue(output);
            var folder = parseResult.GetRequiredValue(tokenizer);
            var name = parseResult.GetRequiredValue(template);
            var limit = parseResult.GetValue(maxLength);
            if (!inputFile.Exists)
            {
                io.Error.WriteLine($"agentrefine tokenize: cannot read the input file '{inputFile.FullName}': it does not exist.");
                return CliApp.ExitUsage;
            }

            if (string.Equals(inputFile.FullName, outputFile.FullName, StringComparison.Ordinal))
            {
                io.Error.WriteLine($"agentrefine tokenize: --output '{outputFile.FullName}' is the input file; choose another path.");
                return CliApp.ExitUsage;
            }

            using var services = CliServices.Build(o => o.Tokenization = new TokenizationOptions
            {
                TokenizerDirectory = folder.FullName,
                Template = name,
                MaxLength = limit,
            });
            ChatTemplate chatTemplate;
            try
            {
                chatTemplate = services.GetRequiredService<ChatTemplate>();
            }
            catch (Exception exception) when (exception is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                io.Error.WriteLine($"agentrefine tokenize: {exception.Message}");
                return CliApp.ExitUsage;
            }

            TokenizationStatistics statistics;
            try
            {
                statistics = await ChatRowTokenization.RunAsync(inputFile.FullName, outputFile.FullName, chatTemplate, limit, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                io.Error.WriteLine($"agentrefine tokenize: {exception.Message}");
                return CliApp.ExitUsage;
            }

            Summarize(io.Output, inputFile, outputFile, chatTemplate, limit, statistics);
            return CliApp.ExitOk;
        });
        return command;
    }

    private static void Summarize(TextWriter console, FileInfo input, FileInfo output, ChatTemplate template, int? limit, TokenizationStatistics s)
    {
        var c = CultureInfo.InvariantCulture;
        console.WriteLine($"Tokenized {input.Name} to {output.FullName} ({template.Name}, {template.Tokenizer.SourceFile}).");
        console.WriteLine(string.Create(c, $"  rows in:            {s.RowsIn}"));
        console.WriteLine(string.Create(c, $"  rows out:           {s.RowsOut} ({s.BytesOut:N0} bytes)"));
        console.WriteLine(string.Create(c, $"  over max length:    {s.OverMaxLength}") + (limit is { } max ? string.Create(c, $" (--max-length {max}; longest row {s.LongestRow} tokens)") : " (no --max-length)"));
        console.WriteLine(string.Create(c, $"  refused:            {s.Refused.Count}"));
        foreach (var refused in s.Refused)
        {
            console.WriteLine($"    {refused.Source}  {refused.Reason}");
        }

        console.WriteLine(string.Create(c, $"  tokens:             {s.Tokens}"));
        console.WriteLine(string.Create(c, $"  trained tokens:     {s.TrainedTokens}") + (s.Tokens > 0 ? string.Create(c, $" ({100.0 * s.TrainedTokens / s.Tokens:F1}%)") : string.Empty));
    }
}
