using System.Text;
using Curation.Core.Config;
using Curation.Core.Records;
using Curation.IO.Formats;

namespace Curation.IO.Tests.Formats;

/// <summary>Decodes test input the way the pipeline does: one UTF-8 item with its source.</summary>
internal static class Decoding
{
    public static SourceRef Source { get; } = new("in.jsonl", 7, SourceUnit.Line);

    public static Envelope Decode(string json, InputOptions? options = null) =>
        Decode(Encoding.UTF8.GetBytes(json), options);

    public static Envelope Decode(byte[] utf8, InputOptions? options = null, SourceRef? source = null)
    {
        var decoder = new RecordDecoder(options ?? new InputOptions());
        return decoder.Decode(new RawItem(utf8, source ?? Source), 3);
    }

    public static ChatRecord Kept(string json, InputOptions? options = null)
    {
        var envelope = Decode(json, options);
        Assert.True(envelope.IsKept, envelope.Reject is { } reject ? $"{reject.Rule}: {reject.Detail}" : "rejected");
        return envelope.Record!;
    }

    public static Reject Rejected(string json, InputOptions? options = null)
    {
        var envelope = Decode(json, options);
        Assert.False(envelope.IsKept, "expected a reject, but the record was kept");
        Assert.Equal("read", envelope.Reject!.Stage);
        return envelope.Reject;
    }

    public static string[] Turns(ChatRecord record) =>
        record.Messages.Select(m => $"{m.Role}: {m.Content}").ToArray();

    public static InputOptions Options(InputFormat format = InputFormat.Auto, params (string Field, string Key)[] fields) => new()
    {
        Path = "in.jsonl",
        Format = format,
        Fields = fields.ToDictionary(f => f.Field, f => f.Key),
    };
}
