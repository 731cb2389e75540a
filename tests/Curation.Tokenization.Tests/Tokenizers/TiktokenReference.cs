using System.Text.Json;

namespace Curation.Tokenization.Tests.Tokenizers;

/// <summary>
/// Token ids that OpenAI's tiktoken gives for strings that trip tokenizers up (Cyrillic, CJK, emoji with modifiers
/// and joiners, whitespace runs, a special token, a 74-character word, contractions, code, letters and digits outside
/// the Basic Multilingual Plane). Produced with tiktoken 1.0.22 (the npm WebAssembly build of the Rust tiktoken) as
/// <c>get_encoding(name).encode(text, "all")</c> by Reference/tiktoken-reference.cjs (see Reference/README.md) and
/// stored in tiktoken-reference.jsonl.
/// </summary>
public static class TiktokenReference
{
    public static IReadOnlyList<(string Encoding, string Text, int[] Ids)> Cases { get; } = Load();

    public static TheoryData<string, int> Indexes(string encoding)
    {
        var data = new TheoryData<string, int>();
        for (var i = 0; i < Cases.Count; i++)
        {
            if (Cases[i].Encoding == encoding)
            {
                data.Add(encoding, i);
            }
        }

        return data;
    }

    private static List<(string, string, int[])> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Tokenizers", "tiktoken-reference.jsonl");
        return [.. File.ReadLines(path).Where(line => line.Length > 0).Select(line =>
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            return (root.GetProperty("encoding").GetString()!, root.GetProperty("text").GetString()!, root.GetProperty("ids").EnumerateArray().Select(id => id.GetInt32()).ToArray());
        })];
    }
}
