using System.Text;
using Curation.Core.Records;
using Curation.Core.Stages;

namespace Curation.TestKit.Fakes;

/// <summary>Decodes <see cref="LineSource"/> items: "prompt|response" becomes a two-turn record, anything else a <c>no-separator</c> reject.</summary>
public sealed class PipeDecoder : IRecordDecoder
{
    public Envelope Decode(in RawItem item, long sequence)
    {
        var text = Encoding.UTF8.GetString(item.Utf8Json.Span);
        var bar = text.IndexOf('|', StringComparison.Ordinal);
        if (bar < 0)
        {
            return Envelope.Rejected(sequence, new Reject("read", "no-separator", "expected 'prompt|response'", item.Source) { RawText = text });
        }

        var record = Chat.Builder().User(text[..bar]).Assistant(text[(bar + 1)..]).Build() with { Source = item.Source };
        return Envelope.Kept(sequence, record);
    }
}
