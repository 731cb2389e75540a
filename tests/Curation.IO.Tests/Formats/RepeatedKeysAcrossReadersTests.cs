using Curation.Core.Config;
using Curation.Core.Records;
using Curation.IO.Formats;
using Curation.IO.Tests.Inputs;
using Curation.IO.Tests.Readers;
using Parquet;
using Parquet.Schema;

namespace Curation.IO.Tests.Formats;

/// <summary>A key repeated inside a nested object is refused whichever reader produced the item.</summary>
public sealed class RepeatedKeysAcrossReadersTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task JsonArrayFile_TurnWithARepeatedKey_IsRejectedAndTheOtherElementsKept()
    {
        var path = _dir.Write("chats.json", """
            [
              {"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}]},
              {"messages": [{"role": "user", "content": "a", "content": "b"}, {"role": "assistant", "content": "c"}]}
            ]
            """);

        var envelopes = await DecodeAsync(path);

        Assert.True(envelopes[0].IsKept);
        Assert.Equal("field 'messages[0].content': appears more than once", envelopes[1].Reject!.Detail);
        Assert.Equal(2, envelopes[1].Reject!.Source.Position);
    }

    [Fact]
    public async Task ParquetMapWithARepeatedKey_IsRejectedNamingIt()
    {
        var path = _dir.File("meta.parquet");
        var text = new DataField<string>("text");
        var meta = new MapField("meta", new DataField("key", typeof(string), isNullable: false), new DataField<string>("value"));
        var schema = new ParquetSchema(text, meta);
        await using (var stream = File.Create(path))
        {
            await using var writer = await ParquetWriter.CreateAsync(schema, stream);
            using var rowGroup = writer.CreateRowGroup();
            await rowGroup.WriteAsync(text, new[] { "first", "second" });

            // Row 1: {"lang": "en"}; row 2: {"lang": "en", "lang": "de"}, a map Parquet does not stop anyone writing.
            await rowGroup.WriteAsync((DataField)meta.Key, new[] { "lang", "lang", "lang" }, new ReadOnlyMemory<int>([0, 0, 1]));
            await rowGroup.WriteAsync((DataField)meta.Value, new[] { "en", "en", "de" }, new ReadOnlyMemory<int>([0, 0, 1]));
            rowGroup.CompleteValidate();
        }

        var envelopes = await DecodeAsync(path);

        Assert.True(envelopes[0].IsKept, envelopes[0].Reject?.Detail);
        Assert.Equal(ReadRules.Schema, envelopes[1].Reject!.Rule);
        Assert.Equal("field 'meta.lang': appears more than once", envelopes[1].Reject!.Detail);
    }

    private static async Task<List<Envelope>> DecodeAsync(string path)
    {
        var options = new InputOptions { Path = path };
        var decoder = new RecordDecoder(options);
        var items = await Items.ReadAsync(path, options);
        return [.. items.Select((item, i) => decoder.Decode(item, i))];
    }
}
