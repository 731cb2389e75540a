namespace Curation.Pipeline;

/// <summary>Settings of a pipeline a command wrote from its options, renamed to those options for messages.</summary>
internal static class OptionNames
{
    public static string Rename(string text, IReadOnlyDictionary<string, string> optionNames) =>
        optionNames.Aggregate(text, (renamed, pair) => renamed.Replace(pair.Key, pair.Value, StringComparison.Ordinal));
}
