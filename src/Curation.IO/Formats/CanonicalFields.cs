namespace Curation.IO.Formats;

/// <summary>Names of the canonical fields as written under <c>fields:</c>, and the input keys they default to.</summary>
internal static class CanonicalFields
{
    public const int Count = (int)CanonicalField.Text + 1;

    private static readonly string[] Names =
    [
        "id", "system", "prompt", "response", "instruction", "input", "output", "history", "messages", "conversations", "text",
    ];

    /// <summary>The input key each field has when the mapping does not name one: the answer of a prompt/completion pair is "completion".</summary>
    private static readonly string[] DefaultKeys =
    [
        "id", "system", "prompt", "completion", "instruction", "input", "output", "history", "messages", "conversations", "text",
    ];

    public static string NameOf(CanonicalField field) => Names[(int)field];

    public static string DefaultKeyOf(CanonicalField field) => DefaultKeys[(int)field];

    /// <summary>All names accepted under <c>fields:</c>, for error messages.</summary>
    public static string Choices { get; } = string.Join(", ", Names) + ", completion";

    /// <summary>Parses a mapping name; "completion" is accepted as another name for "response".</summary>
    public static bool TryParse(string name, out CanonicalField field)
    {
        if (string.Equals(name, "completion", StringComparison.Ordinal))
        {
            field = CanonicalField.Response;
            return true;
        }

        var index = Array.IndexOf(Names, name);
        field = (CanonicalField)Math.Max(index, 0);
        return index >= 0;
    }
}
