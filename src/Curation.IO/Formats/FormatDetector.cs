using System.Text.Json;
using Curation.Core.Records;

namespace Curation.IO.Formats;

/// <summary>
/// Tells which record shape a JSON object has, after the field mapping: "messages" → openai, "conversations" →
/// sharegpt, "instruction" → alpaca, "prompt" → prompt/completion, "text" → text, checked in that order so that
/// the most specific shape wins. Thread-safe.
/// </summary>
public sealed class FormatDetector
{
    private readonly FieldMapping _mapping;

    public FormatDetector()
        : this(new Dictionary<string, string>())
    {
    }

    /// <param name="fields">The input's field mapping (canonical name → input key), as under <c>fields:</c>.</param>
    public FormatDetector(IReadOnlyDictionary<string, string> fields)
    {
        _mapping = FieldMapping.Create(fields, string.Empty);
    }

    /// <summary>The shape of one UTF-8 JSON record; null when it is not a JSON object or matches no known shape.</summary>
    public InputFormat? Detect(ReadOnlySpan<byte> utf8Json)
    {
        var scan = DecodeScratch.Current.Scan;
        try
        {
            if (scan.Run(Utf8Bom.Skip(utf8Json), _mapping, captureOthers: false, convertFor: null) != JsonTokenType.StartObject)
            {
                return null;
            }
        }
        catch (JsonException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }

        return Detect(scan);
    }

    internal static InputFormat? Detect(TopLevelScan scan) =>
        OpenAiMessagesFormat.Matches(scan) ? InputFormat.OpenAi
        : ShareGptFormat.Matches(scan) ? InputFormat.ShareGpt
        : AlpacaFormat.Matches(scan) ? InputFormat.Alpaca
        : PromptCompletionFormat.Matches(scan) ? InputFormat.PromptCompletion
        : TextFormat.Matches(scan) ? InputFormat.Text
        : null;
}
