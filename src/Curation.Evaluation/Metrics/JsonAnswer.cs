using System.Text.Json;
using System.Text.RegularExpressions;

namespace Curation.Evaluation.Metrics;

/// <summary>
/// The JSON in an answer: the whole answer (trimmed), or else the first fenced <c>```json</c> block in it, the way chat
/// models wrap JSON in prose. Strict RFC 8259: no comments, trailing commas, NaN or single quotes.
/// </summary>
internal static partial class JsonAnswer
{
    /// <summary>The parsed JSON, or null when neither the answer nor its first <c>```json</c> block is JSON.</summary>
    public static JsonDocument? Parse(string answer)
    {
        if (TryParse(PythonText.Strip(answer)) is { } whole)
        {
            return whole;
        }

        var fence = FencedJson().Match(answer);
        return fence.Success ? TryParse(PythonText.Strip(fence.Groups["body"].Value)) : null;
    }

    private static JsonDocument? TryParse(string text)
    {
        if (text.Length == 0)
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // The opening fence's info string is "json" (any case); the block runs to the next fence.
    [GeneratedRegex(@"```[Jj][Ss][Oo][Nn][ \t]*\r?\n(?<body>.*?)```", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex FencedJson();
}
