using Curation.Core.Records;

namespace Curation.IO.Formats;

/// <summary>
/// Prompt/completion records: <c>{"prompt", "completion", "system"?}</c>. Other names for the pair (question/answer,
/// prompt/response) come in through the field mapping only, so that a stray "response" key never changes a shape.
/// </summary>
internal static class PromptCompletionFormat
{
    public static bool Matches(TopLevelScan scan) => scan.Has(CanonicalField.Prompt);

    public static bool TryConvert(DecodeContext context, out string? error)
    {
        context.Messages.Clear();
        if (!context.TryAddSystemPrompt(out error)
            || !context.TryReadRequiredString(CanonicalField.Prompt, out var prompt, out error))
        {
            return false;
        }

        if (!context.Scan.Has(CanonicalField.Response))
        {
            error = $"{FieldErrors.Missing(context.PathOf(CanonicalField.Response))} (when the answer is under another key, map it: fields: {{response: <key>}})";
            return false;
        }

        if (!context.TryReadRequiredString(CanonicalField.Response, out var completion, out error))
        {
            return false;
        }

        context.Messages.Add(new Message(Roles.User, prompt));
        context.Messages.Add(new Message(Roles.Assistant, completion));
        return true;
    }
}
