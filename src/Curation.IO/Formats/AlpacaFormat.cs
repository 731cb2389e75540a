using System.Globalization;
using System.Text.Json;
using Curation.Core.Records;
using Curation.IO.Writers;

namespace Curation.IO.Formats;

/// <summary>
/// Alpaca records: <c>{"instruction", "input"?, "output", "system"?, "history"?: [[prompt, response], ...]}</c>.
/// The user turn is the instruction, followed by a blank line and the input when there is one; earlier history
/// pairs come first as user/assistant turns.
/// </summary>
internal static class AlpacaFormat
{
    private static readonly JsonEncodedText Instruction = JsonEncodedText.Encode("instruction");
    private static readonly JsonEncodedText Input = JsonEncodedText.Encode("input");
    private static readonly JsonEncodedText Output = JsonEncodedText.Encode("output");
    private static readonly JsonEncodedText System = JsonEncodedText.Encode("system");
    private static readonly JsonEncodedText History = JsonEncodedText.Encode("history");

    public static bool Matches(TopLevelScan scan) => scan.Has(CanonicalField.Instruction);

    public static bool TryConvert(DecodeContext context, out string? error)
    {
        context.Messages.Clear();
        if (!context.TryAddSystemPrompt(out error)
            || !TryAddHistory(context, out error)
            || !context.TryReadRequiredString(CanonicalField.Instruction, out var instruction, out error)
            || !context.TryReadOptionalString(CanonicalField.Input, out var input, out error)
            || !context.TryReadRequiredString(CanonicalField.Output, out var output, out error))
        {
            return false;
        }

        var prompt = string.IsNullOrEmpty(input) ? instruction
            : instruction.Length == 0 ? input
            : string.Concat(instruction, "\n\n", input);
        context.Messages.Add(new Message(Roles.User, prompt));
        context.Messages.Add(new Message(Roles.Assistant, output));
        return true;
    }

    /// <summary>
    /// Alpaca holds an optional system prompt followed by user/assistant pairs, the last pair ending the
    /// conversation, and nothing per turn: no tool turns, no names, no weights other than 1.
    /// </summary>
    public static bool CanRepresent(ChatRecord record, out string reason)
    {
        var messages = record.Messages;
        var start = messages.Length > 0 && messages[0].Role == Roles.System ? 1 : 0;
        if (messages.Length - start < 2)
        {
            reason = "alpaca needs at least one user turn followed by an assistant turn";
            return false;
        }

        for (var i = 0; i < messages.Length; i++)
        {
            var message = messages[i];
            var expected = i < start ? Roles.System : (i - start) % 2 == 0 ? Roles.User : Roles.Assistant;
            if (message.Role != expected)
            {
                reason = message.Role == Roles.Tool
                    ? $"turn {i + 1} is a tool turn; alpaca has no tool turns"
                    : $"turn {i + 1} has role '{message.Role}' where alpaca needs '{expected}' (an optional system prompt, then user/assistant pairs)";
                return false;
            }

            if (message.Name is not null)
            {
                reason = $"turn {i + 1} has name '{message.Name}'; alpaca turns have no name";
                return false;
            }

            if (message.Weight is { } weight && weight != 1)
            {
                reason = $"turn {i + 1} has weight {weight.ToString(CultureInfo.InvariantCulture)}; alpaca turns have no weight";
                return false;
            }
        }

        if ((messages.Length - start) % 2 != 0)
        {
            reason = "the conversation ends with a user turn; alpaca needs it to end with the assistant's answer";
            return false;
        }

        reason = string.Empty;
        return true;
    }

    /// <summary>Writes a record that <see cref="CanRepresent"/> accepted: the last pair is instruction/output, earlier pairs the history.</summary>
    public static void Write(Utf8JsonWriter writer, ChatRecord record, JsonlEncodingOptions options)
    {
        var messages = record.Messages;
        var start = messages.Length > 0 && messages[0].Role == Roles.System ? 1 : 0;
        var last = messages.Length - 2;

        writer.WriteStartObject();
        if (options.IncludeId)
        {
            JsonText.WriteString(writer, JsonOutput.Id, record.Id);
        }

        JsonText.WriteString(writer, Instruction, messages[last].Content);
        writer.WriteString(Input, string.Empty);
        JsonText.WriteString(writer, Output, messages[last + 1].Content);
        if (start == 1)
        {
            JsonText.WriteString(writer, System, messages[0].Content);
        }

        if (last > start)
        {
            writer.WriteStartArray(History);
            for (var i = start; i < last; i += 2)
            {
                writer.WriteStartArray();
                writer.WriteStringValue(messages[i].Content);
                writer.WriteStringValue(messages[i + 1].Content);
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
        }

        if (options.IncludeMetadata)
        {
            JsonOutput.WriteMetadata(writer, record.Metadata);
        }

        writer.WriteEndObject();
    }

    private static bool TryAddHistory(DecodeContext context, out string? error)
    {
        error = null;
        if (!context.Scan.Has(CanonicalField.History))
        {
            return true;
        }

        context.Scan.Consume(CanonicalField.History);
        var path = context.PathOf(CanonicalField.History);
        var reader = context.ReaderAt(CanonicalField.History);
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            error = FieldErrors.Expected(path, "an array of [prompt, response] pairs", reader.TokenType);
            return false;
        }

        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var pairPath = path.At(index);
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                error = FieldErrors.Expected(pairPath, "a [prompt, response] pair", reader.TokenType);
                return false;
            }

            var count = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (count < 2)
                {
                    if (!JsonValues.TryReadString(ref reader, pairPath.At(count), out var text, out error))
                    {
                        return false;
                    }

                    context.Messages.Add(new Message(count == 0 ? Roles.User : Roles.Assistant, text));
                }
                else
                {
                    reader.Skip();
                }

                count++;
            }

            if (count != 2)
            {
                error = $"field '{pairPath}': expected a [prompt, response] pair, got {count.ToString(CultureInfo.InvariantCulture)} items";
                return false;
            }

            index++;
        }

        return true;
    }
}
