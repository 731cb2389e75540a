using System.Text;
using Curation.Core.Records;
using Curation.IO.Formats;
using Curation.IO.Writers;

namespace Curation.IO.Tests.Writers;

/// <summary>The reference the direct OpenAI line writer is held to: the general writer, through Utf8JsonWriter.</summary>
internal static class GeneralWriter
{
    /// <summary>The record as one OpenAI JSON line, with its line break.</summary>
    public static string OpenAiLine(ChatRecord record, JsonlEncodingOptions options)
    {
        var chunk = JsonLines.Encode([record], (writer, item) => OpenAiMessagesFormat.Write(writer, item, options));
        return Encoding.UTF8.GetString(chunk.Bytes.Span);
    }
}
