namespace Curation.DataGen.Text;

/// <param name="Layout">Whitespace between tokens.</param>
/// <param name="AsciiOnly">Escape every non-ASCII character as <c>\uXXXX</c>, like Python's <c>ensure_ascii=True</c>.</param>
internal readonly record struct JsonStyle(JsonLayout Layout, bool AsciiOnly)
{
    public static JsonStyle Compact => new(JsonLayout.Compact, AsciiOnly: false);

    public static JsonStyle PythonDefault => new(JsonLayout.Spaced, AsciiOnly: true);

    public static JsonStyle PythonIndented => new(JsonLayout.Indented, AsciiOnly: false);
}
