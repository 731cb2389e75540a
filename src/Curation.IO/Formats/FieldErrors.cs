using System.Text.Json;

namespace Curation.IO.Formats;

/// <summary>The wording of schema reject details: the field's path, then what was expected.</summary>
internal static class FieldErrors
{
    public static string Expected(in FieldPath path, string expectation, JsonTokenType got) =>
        $"field '{path}': expected {expectation}, got {JsonInput.Describe(got)}";

    public static string Missing(in FieldPath path) => $"field '{path}': missing";

    /// <summary>A key given twice in one object, worded as for a repeated top-level key.</summary>
    public static string Repeated(in FieldPath path) => $"field '{path}': appears more than once";
}
