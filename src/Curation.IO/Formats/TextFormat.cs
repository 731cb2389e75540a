using Curation.Core.Records;

namespace Curation.IO.Formats;

/// <summary>Plain text records, <c>{"text"}</c>: one assistant turn with no prompt, as for continued pre-training.</summary>
internal static class TextFormat
{
    public static bool Matches(TopLevelScan scan) => scan.Has(CanonicalField.Text);

    public static bool TryConvert(DecodeContext context, out string? error)
    {
        context.Messages.Clear();
        if (!context.TryReadRequiredString(CanonicalField.Text, out var text, out error))
        {
            return false;
        }

        context.Messages.Add(new Message(Roles.Assistant, text));
        return true;
    }
}
