using System.Text.Json;
using System.Text.Json.Serialization;
using Curation.Core;
using Curation.Core.Records;
using Curation.IO.Tests.Inputs;
using Parquet;
using Parquet.Schema;
using Parquet.Serialization;

namespace Curation.IO.Tests.Readers.Parquet;

public sealed class ParquetRowReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<string> WriteAsync<T>(string name, IEnumerable<T> rows, int rowGroupSize)
    {
        var path = _dir.File(name);
        await using var stream = File.Create(path);
        await ParquetSerializer.SerializeAsync(rows, stream, new ParquetOptions { RowGroupSize = rowGroupSize });
        return path;
    }

    [Fact]
    public async Task ReadFileAsync_FlatColumnsOverSeveralRowGroups_YieldsOneObjectPerRow()
    {
        var rows = Enumerable.Range(1, 5).Select(i => new FlatRow
        {
            Id = i == 2 ? null : $"r{i}",
            N = i == 3 ? null : i * 10,
            Score = i * 1.5,
            Ok = i % 2 == 0,
            Big = 1L << (30 + i),
            Ratio = i == 4 ? float.NaN : i / 4f,
        });
        var path = await WriteAsync("flat.parquet", rows, rowGroupSize: 2);

        var items = await Items.ReadAsync(path);

        Assert.Equal(
            [
                "{\"id\":\"r1\",\"n\":10,\"score\":1.5,\"ok\":false,\"big\":2147483648,\"ratio\":0.25}",
                "{\"id\":null,\"n\":20,\"score\":3,\"ok\":true,\"big\":4294967296,\"ratio\":0.5}",
                "{\"id\":\"r3\",\"n\":null,\"score\":4.5,\"ok\":false,\"big\":8589934592,\"ratio\":0.75}",
                "{\"id\":\"r4\",\"n\":40,\"score\":6,\"ok\":true,\"big\":17179869184,\"ratio\":\"NaN\"}",
                "{\"id\":\"r5\",\"n\":50,\"score\":7.5,\"ok\":false,\"big\":34359738368,\"ratio\":1.25}",
            ],
            items.Texts());
        Assert.Equal([1L, 2L, 3L, 4L, 5L], items.Select(i => i.Source.Position));
        Assert.All(items, i => Assert.Equal(SourceUnit.Row, i.Source.Unit));
    }

    [Fact]
    public async Task ReadFileAsync_MessagesListOfStruct_BecomesArrayOfObjects()
    {
        var rows = Enumerable.Range(1, 7).Select(i => new ChatRow
        {
            Id = $"c{i}",
            Messages = i switch
            {
                3 => null,
                4 => [],
                _ =>
                [
                    new ChatMessage { Role = "system", Content = "Be brief." },
                    new ChatMessage { Role = "user", Content = $"question {i}" },
                    new ChatMessage { Role = "assistant", Content = i == 5 ? null : $"answer {i}" },
                ],
            },
        });
        var path = await WriteAsync("chat.parquet", rows, rowGroupSize: 3);

        var items = await Items.ReadAsync(path);

        Assert.Equal(7, items.Count);
        Assert.Equal(
            "{\"id\":\"c1\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"question 1\"},{\"role\":\"assistant\",\"content\":\"answer 1\"}]}",
            items[0].Text());
        Assert.Equal("{\"id\":\"c3\",\"messages\":null}", items[2].Text());
        Assert.Equal("{\"id\":\"c4\",\"messages\":[]}", items[3].Text());
        Assert.Contains("{\"role\":\"assistant\",\"content\":null}", items[4].Text(), StringComparison.Ordinal);
        Assert.Contains("\"question 7\"", items[6].Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadFileAsync_ShareGptAndAlpacaShapes_RoundTripIntoDecoderJson()
    {
        var shareGpt = await WriteAsync("sharegpt.parquet", [new ShareGptRow { Conversations = [new Turn { From = "human", Value = "hi" }, new Turn { From = "gpt", Value = "hello" }] }], 10);
        var alpaca = await WriteAsync("alpaca.parquet", [new AlpacaRow { Instruction = "Add", Input = "1+1", Output = "2" }], 10);
        var prompt = await WriteAsync("pc.parquet", [new PromptRow { Prompt = "Q?", Completion = "A." }], 10);

        Assert.Equal("{\"conversations\":[{\"from\":\"human\",\"value\":\"hi\"},{\"from\":\"gpt\",\"value\":\"hello\"}]}", Assert.Single(await Items.ReadAsync(shareGpt)).Text());
        Assert.Equal("{\"instruction\":\"Add\",\"input\":\"1+1\",\"output\":\"2\"}", Assert.Single(await Items.ReadAsync(alpaca)).Text());
        Assert.Equal("{\"prompt\":\"Q?\",\"completion\":\"A.\"}", Assert.Single(await Items.ReadAsync(prompt)).Text());
    }

    [Fact]
    public async Task ReadFileAsync_NestedStructsListsAndMaps_BecomeJson()
    {
        var rows = new[]
        {
            new NestedRow { Meta = new Meta { Source = "web", Turns = 3 }, Tags = ["a", null, "b"], Scores = [1, 2], Extra = new() { ["k"] = 1 } },
            new NestedRow { Meta = null, Tags = null, Scores = [], Extra = null },
        };
        var path = await WriteAsync("nested.parquet", rows, 10);

        var items = await Items.ReadAsync(path);

        Assert.Equal("{\"meta\":{\"source\":\"web\",\"turns\":3},\"tags\":[\"a\",null,\"b\"],\"scores\":[1,2],\"extra\":{\"k\":1}}", items[0].Text());
        Assert.Equal("{\"meta\":null,\"tags\":null,\"scores\":[],\"extra\":null}", items[1].Text());
    }

    [Fact]
    public async Task ReadFileAsync_LegacyRepeatedPrimitive_BecomesArray()
    {
        var path = _dir.File("legacy.parquet");
        var schema = new ParquetSchema(new DataField<string>("id"), new DataField("nums", typeof(int), isNullable: false, isArray: true));
        await using (var stream = File.Create(path))
        {
            await using var writer = await ParquetWriter.CreateAsync(schema, stream);
            using var rowGroup = writer.CreateRowGroup();
            await rowGroup.WriteAsync(schema.DataFields[0], new[] { "a", "b", "c" });

            // Rows [1, 2], [], [3] as values with definition and repetition levels.
            await rowGroup.WriteAllPartsAsync(schema.DataFields[1], new ReadOnlyMemory<int>([1, 2, 3]), new ReadOnlyMemory<int>([1, 1, 0, 1]), new ReadOnlyMemory<int>([0, 1, 0, 0]), CancellationToken.None);
            rowGroup.CompleteValidate();
        }

        var items = await Items.ReadAsync(path);

        Assert.Equal(["{\"id\":\"a\",\"nums\":[1,2]}", "{\"id\":\"b\",\"nums\":[]}", "{\"id\":\"c\",\"nums\":[3]}"], items.Texts());
    }

    [Fact]
    public async Task ReadFileAsync_ManyRows_BatchesAndNumbersAcrossRowGroups()
    {
        var rows = Enumerable.Range(1, 5000).Select(i => new PromptRow { Prompt = $"p{i}", Completion = $"c{i}" });
        var path = await WriteAsync("many.parquet", rows, rowGroupSize: 1500);

        var items = await Items.ReadAsync(path);

        Assert.Equal(Enumerable.Range(1, 5000).Select(i => (long)i), items.Select(i => i.Source.Position));
        Assert.Equal("{\"prompt\":\"p5000\",\"completion\":\"c5000\"}", items[^1].Text());
        Assert.All(items, i => JsonDocument.Parse(i.Utf8Json).Dispose());
    }

    [Fact]
    public async Task ReadFileAsync_NotParquet_ThrowsClearError()
    {
        var path = _dir.Write("fake.parquet", "{\"this\":\"is json\"}\n");

        var error = await Assert.ThrowsAsync<CurationException>(() => Items.ReadAsync(path));

        Assert.Contains("fake.parquet: not a valid Parquet file: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task ReadFileAsync_TruncatedParquet_ThrowsClearError()
    {
        var path = await WriteAsync("whole.parquet", Enumerable.Range(1, 100).Select(i => new PromptRow { Prompt = $"p{i}", Completion = "c" }), 10);
        var bytes = await File.ReadAllBytesAsync(path);
        var cut = _dir.Write("cut.parquet", bytes[..(bytes.Length - 20)]);

        var error = await Assert.ThrowsAsync<CurationException>(() => Items.ReadAsync(cut));

        Assert.Contains("cut.parquet: not a valid Parquet file: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadFileAsync_ZeroByteParquet_IsEmptyFile()
    {
        var path = _dir.Write("zero.parquet", []);

        var error = await Assert.ThrowsAsync<CurationException>(() => Items.ReadAsync(path));

        Assert.EndsWith("zero.parquet: empty file: expected at least one record", error.Message, StringComparison.Ordinal);
    }

    private sealed class FlatRow
    {
        [JsonPropertyName("id")]
        public string? Id { get; set; }

        [JsonPropertyName("n")]
        public int? N { get; set; }

        [JsonPropertyName("score")]
        public double Score { get; set; }

        [JsonPropertyName("ok")]
        public bool? Ok { get; set; }

        [JsonPropertyName("big")]
        public long Big { get; set; }

        [JsonPropertyName("ratio")]
        public float Ratio { get; set; }
    }

    private sealed class ChatRow
    {
        [JsonPropertyName("id")]
        public string? Id { get; set; }

        [JsonPropertyName("messages")]
        public List<ChatMessage>? Messages { get; set; }
    }

    private sealed class ChatMessage
    {
        [JsonPropertyName("role")]
        public string? Role { get; set; }

        [JsonPropertyName("content")]
        public string? Content { get; set; }
    }

    private sealed class ShareGptRow
    {
        [JsonPropertyName("conversations")]
        public List<Turn>? Conversations { get; set; }
    }

    private sealed class Turn
    {
        [JsonPropertyName("from")]
        public string? From { get; set; }

        [JsonPropertyName("value")]
        public string? Value { get; set; }
    }

    private sealed class AlpacaRow
    {
        [JsonPropertyName("instruction")]
        public string? Instruction { get; set; }

        [JsonPropertyName("input")]
        public string? Input { get; set; }

        [JsonPropertyName("output")]
        public string? Output { get; set; }
    }

    private sealed class PromptRow
    {
        [JsonPropertyName("prompt")]
        public string? Prompt { get; set; }

        [JsonPropertyName("completion")]
        public string? Completion { get; set; }
    }

    private sealed class NestedRow
    {
        [JsonPropertyName("meta")]
        public Meta? Meta { get; set; }

        [JsonPropertyName("tags")]
        public List<string?>? Tags { get; set; }

        [JsonPropertyName("scores")]
        public List<int>? Scores { get; set; }

        [JsonPropertyName("extra")]
        public Dictionary<string, int>? Extra { get; set; }
    }

    private sealed class Meta
    {
        [JsonPropertyName("source")]
        public string? Source { get; set; }

        [JsonPropertyName("turns")]
        public int Turns { get; set; }
    }
}
