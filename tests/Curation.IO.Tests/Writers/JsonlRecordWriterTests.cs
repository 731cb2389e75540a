using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Curation.Core.Config;
using Curation.Core.Stages;
using Curation.Core.Files;
using Curation.Core.Records;
using Curation.IO.Formats;
using Curation.IO.Writers;
using static Curation.IO.Tests.Writers.SampleRecords;

namespace Curation.IO.Tests.Writers;

public sealed class JsonlRecordWriterTests : IDisposable
{
    private RunOutputs _outputs = RunOutputs.Unplanned();

    private RunOutputs NewOutputs() => _outputs = RunOutputs.Unplanned();

    /// <summary>Seals the writer's file and commits it, as a successful run does.</summary>
    private async Task<OutputFileInfo> CommitAsync<T>(IRecordWriter<T> writer)
    {
        var info = await writer.SealAsync(CancellationToken.None);
        _outputs.Commit();
        return info;
    }

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task WriteAsync_OpenAi_WritesTheExactLine()
    {
        var text = await WriteTextAsync(OutputFormat.OpenAi, Rich());

        Assert.Equal(
            """{"id":"r1","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Héllo \"quoted\"\n😀 <b>&"},{"role":"assistant","content":"Hi","weight":1}],"metadata":{"label":["x"],"score":2}}""" + "\n",
            text);
    }

    [Fact]
    public async Task WriteAsync_OpenAiWithoutIdAndMetadata_WritesOnlyTheMessages()
    {
        var options = new JsonlEncodingOptions { IncludeId = false, IncludeMetadata = false };

        var text = await WriteTextAsync(OutputFormat.OpenAi, [Record("x", new Message(Roles.User, "q"), new Message(Roles.Assistant, "a") { Name = "bot", Weight = 0 })], options);

        Assert.Equal("""{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a","weight":0,"name":"bot"}]}""" + "\n", text);
    }

    [Fact]
    public async Task WriteAsync_NoMetadata_OmitsTheKey()
    {
        var text = await WriteTextAsync(OutputFormat.OpenAi, Record("x", new Message(Roles.User, "q")));

        Assert.Equal("""{"id":"x","messages":[{"role":"user","content":"q"}]}""" + "\n", text);
    }

    [Fact]
    public async Task WriteAsync_Alpaca_LastPairIsInstructionEarlierPairsAreHistory()
    {
        var text = await WriteTextAsync(OutputFormat.Alpaca, MultiTurn(), Rich() with { Messages = Rich().Messages.RemoveAt(0) });

        Assert.Equal(
            """{"id":"r2","instruction":"u2","input":"","output":"a2","system":"S","history":[["u1","a1"]]}""" + "\n"
            + """{"id":"r1","instruction":"Héllo \"quoted\"\n😀 <b>&","input":"","output":"Hi","metadata":{"label":["x"],"score":2}}""" + "\n",
            text);
    }

    [Fact]
    public async Task WriteAsync_ShareGpt_UsesShareGptSpeakerNames()
    {
        var record = Record("r3", new Message(Roles.System, "S"), new Message(Roles.User, "q"), new Message(Roles.Assistant, "call"), new Message(Roles.Tool, "42") { Weight = 0 });

        var text = await WriteTextAsync(OutputFormat.ShareGpt, record);

        Assert.Equal(
            """{"id":"r3","conversations":[{"from":"system","value":"S"},{"from":"human","value":"q"},{"from":"gpt","value":"call"},{"from":"observation","value":"42","weight":0}]}""" + "\n",
            text);
    }

    [Fact]
    public async Task WriteAsync_ControlCharactersAndLoneSurrogate_AreEscapedOrReplacedSoLinesStayValid()
    {
        var text = await WriteTextAsync(OutputFormat.OpenAi, Record("x", new Message(Roles.User, "a\u0001\tb\\c\u2028d\ud800e")));

        Assert.Equal("""{"id":"x","messages":[{"role":"user","content":"a\u0001\tb\\c""" + "\u2028d\uFFFDe" + "\"}]}\n", text);
    }

    [Fact]
    public async Task WriteAsync_OpenAiOutput_DecodesBackToTheSameRecords()
    {
        var records = Many(50).Append(Rich()).ToArray();
        var text = await WriteTextAsync(OutputFormat.OpenAi, records);

        var decoder = new RecordDecoder(new InputOptions());
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var decoded = lines.Select((line, i) => decoder.Decode(new RawItem(Encoding.UTF8.GetBytes(line), new SourceRef("out", i + 1, SourceUnit.Line)), i).Record!).ToArray();

        for (var i = 0; i < records.Length; i++)
        {
            Assert.Equal(Describe(records[i]), Describe(decoded[i]));
        }
    }

    [Fact]
    public async Task CompleteAsync_Complete_RenamesTempFileAndReportsSizeHashAndCount()
    {
        var path = _directory.File("data.jsonl");
        await using var writer = new JsonlRecordWriter(NewOutputs(), path, OutputFormat.OpenAi);
        await writer.WriteAsync(writer.Encode(Many(3)), CancellationToken.None);

        Assert.Equal([".data.jsonl.tmp"], _directory.Names());

        var info = await CommitAsync(writer);

        Assert.Equal(["data.jsonl"], _directory.Names());
        var bytes = await File.ReadAllBytesAsync(path);
        Assert.Equal(path, info.Path);
        Assert.Equal("data", info.Role);
        Assert.Equal(bytes.Length, info.Bytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), info.Sha256);
        Assert.Equal(3, info.Records);
        Assert.True(info.Complete);
        Assert.False(bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]));
    }

    [Fact]
    public async Task CompleteAsync_Incomplete_KeepsTheFileUnderAnIncompleteName()
    {
        var path = _directory.File("data.jsonl");
        await using var writer = new JsonlRecordWriter(NewOutputs(), path, OutputFormat.OpenAi);
        await writer.WriteAsync(writer.Encode(Many(2)), CancellationToken.None);

        await writer.SealAsync(CancellationToken.None);
        var info = Assert.Single(_outputs.Abandon(keepPartial: true));

        Assert.Equal(["data.jsonl.incomplete"], _directory.Names());
        Assert.Equal(path + ".incomplete", info.Path);
        Assert.False(info.Complete);
        Assert.Equal(2, info.Records);
    }

    [Fact]
    public async Task CompleteAsync_ExistingOutput_IsReplaced()
    {
        var path = _directory.File("data.jsonl");
        await File.WriteAllTextAsync(path, "old content that is longer than the new one\n".PadRight(10_000, 'x'));
        await using var writer = new JsonlRecordWriter(NewOutputs(), path, OutputFormat.OpenAi);
        await writer.WriteAsync(writer.Encode([Record("x", new Message(Roles.User, "q"))]), CancellationToken.None);

        await CommitAsync(writer);

        Assert.Equal("""{"id":"x","messages":[{"role":"user","content":"q"}]}""" + "\n", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task DisposeAsync_WithoutComplete_DeletesTheTempFile()
    {
        var writer = new JsonlRecordWriter(NewOutputs(), _directory.File("data.jsonl"), OutputFormat.OpenAi);
        await writer.WriteAsync(writer.Encode(Many(2)), CancellationToken.None);

        await writer.DisposeAsync();

        Assert.Empty(_directory.Names());
    }

    [Fact]
    public async Task CompleteAsync_NothingWritten_GivesAnEmptyFile()
    {
        await using var writer = new JsonlRecordWriter(NewOutputs(), _directory.File("data.jsonl"), OutputFormat.OpenAi);
        await writer.WriteAsync(writer.Encode([]), CancellationToken.None);

        var info = await CommitAsync(writer);

        Assert.Equal(0, info.Bytes);
        Assert.Equal(0, info.Records);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData([])), info.Sha256);
    }

    [Fact]
    public async Task Encode_OnSeveralThreads_GivesTheSameBytesAsOneThread()
    {
        var batches = Many(400).Chunk(25).ToArray();
        var sequential = await WriteBatchesAsync("one.jsonl", batches, parallel: false);
        var parallel = await WriteBatchesAsync("many.jsonl", batches, parallel: true);

        Assert.Equal(sequential, parallel);
    }

    [Theory]
    [InlineData(OutputFormat.OpenAi)]
    [InlineData(OutputFormat.ShareGpt)]
    [InlineData(OutputFormat.Alpaca)]
    public async Task WriteAsync_SameInputTwice_GivesIdenticalBytesAndHash(OutputFormat format)
    {
        // Names and zero weights are not representable in every format.
        var records = Many(100).Select(r => r with { Messages = [.. r.Messages.Select(m => m with { Name = null, Weight = null })] }).ToArray();

        var first = await WriteFileAsync("a.jsonl", format, OutputCompression.None, records);
        var second = await WriteFileAsync("b.jsonl", format, OutputCompression.None, records);

        Assert.Equal(await File.ReadAllBytesAsync(first.Path), await File.ReadAllBytesAsync(second.Path));
        Assert.Equal(first.Sha256, second.Sha256);
    }

    [Theory]
    [InlineData(OutputCompression.Gzip)]
    [InlineData(OutputCompression.Zstd)]
    public async Task WriteAsync_Compressed_DecompressesToThePlainBytesAndIsDeterministic(OutputCompression compression)
    {
        var records = Many(300);
        var plain = await WriteFileAsync("plain.jsonl", OutputFormat.OpenAi, OutputCompression.None, records);
        var first = await WriteFileAsync("first.jsonl.x", OutputFormat.OpenAi, compression, records);
        var second = await WriteFileAsync("second.jsonl.x", OutputFormat.OpenAi, compression, records);

        var compressed = await File.ReadAllBytesAsync(first.Path);
        Assert.Equal(compressed, await File.ReadAllBytesAsync(second.Path));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(compressed)), first.Sha256);
        Assert.Equal(compressed.Length, first.Bytes);
        Assert.True(compressed.Length < plain.Bytes);
        Assert.Equal(await File.ReadAllBytesAsync(plain.Path), Decompress(compressed, compression));
        if (compression == OutputCompression.Gzip)
        {
            Assert.Equal([0x1F, 0x8B], compressed[..2]);
            Assert.Equal([0, 0, 0, 0], compressed[4..8]);
        }
    }

    [Fact]
    public void CanRepresent_OpenAiAndParquet_HoldEveryRecord()
    {
        var record = Record("x", new Message(Roles.Tool, "t") { Name = "n", Weight = 0 }, new Message("bot", "b"));

        Assert.True(JsonlRecordWriter.CanRepresent(record, OutputFormat.OpenAi, out _));
        Assert.True(JsonlRecordWriter.CanRepresent(record, OutputFormat.Parquet, out _));
    }

    [Theory]
    [InlineData("user,assistant", null)]
    [InlineData("system,user,assistant", null)]
    [InlineData("user,assistant,user,assistant", null)]
    [InlineData("user,assistant,tool", "turn 3 is a tool turn; alpaca has no tool turns")]
    [InlineData("user,user,assistant", "turn 2 has role 'user' where alpaca needs 'assistant' (an optional system prompt, then user/assistant pairs)")]
    [InlineData("assistant,user", "turn 1 has role 'assistant' where alpaca needs 'user' (an optional system prompt, then user/assistant pairs)")]
    [InlineData("user,assistant,system,user,assistant", "turn 3 has role 'system' where alpaca needs 'user' (an optional system prompt, then user/assistant pairs)")]
    [InlineData("user,assistant,user", "the conversation ends with a user turn; alpaca needs it to end with the assistant's answer")]
    [InlineData("system,user", "alpaca needs at least one user turn followed by an assistant turn")]
    [InlineData("assistant", "alpaca needs at least one user turn followed by an assistant turn")]
    public void CanRepresent_Alpaca_AcceptsOnlySystemThenUserAssistantPairs(string roles, string? reason)
    {
        var record = Record("x", roles.Split(',').Select(role => new Message(role, "c")).ToArray());

        var ok = JsonlRecordWriter.CanRepresent(record, OutputFormat.Alpaca, out var why);

        Assert.Equal(reason is null, ok);
        Assert.Equal(reason ?? string.Empty, why);
    }

    [Fact]
    public void CanRepresent_AlpacaWithNameOrZeroWeight_IsRefused()
    {
        var named = Record("x", new Message(Roles.User, "q") { Name = "ann" }, new Message(Roles.Assistant, "a"));
        var weighted = Record("x", new Message(Roles.User, "q"), new Message(Roles.Assistant, "a") { Weight = 0 });
        var weightOne = Record("x", new Message(Roles.User, "q"), new Message(Roles.Assistant, "a") { Weight = 1 });

        Assert.False(JsonlRecordWriter.CanRepresent(named, OutputFormat.Alpaca, out var nameReason));
        Assert.Equal("turn 1 has name 'ann'; alpaca turns have no name", nameReason);
        Assert.False(JsonlRecordWriter.CanRepresent(weighted, OutputFormat.Alpaca, out var weightReason));
        Assert.Equal("turn 2 has weight 0; alpaca turns have no weight", weightReason);
        Assert.True(JsonlRecordWriter.CanRepresent(weightOne, OutputFormat.Alpaca, out _));
    }

    [Fact]
    public void CanRepresent_ShareGpt_RefusesUnknownRolesAndNames()
    {
        Assert.False(JsonlRecordWriter.CanRepresent(Record("x", new Message("bot", "b")), OutputFormat.ShareGpt, out var roleReason));
        Assert.Equal("turn 1 has role 'bot', which has no ShareGPT speaker name", roleReason);
        Assert.False(JsonlRecordWriter.CanRepresent(Record("x", new Message(Roles.User, "q") { Name = "ann" }), OutputFormat.ShareGpt, out var nameReason));
        Assert.Equal("turn 1 has name 'ann'; ShareGPT turns have no name", nameReason);
        Assert.True(JsonlRecordWriter.CanRepresent(MultiTurn(), OutputFormat.ShareGpt, out _));
    }

    [Fact]
    public async Task Encode_UnrepresentableRecord_ThrowsInsteadOfWritingALossyLine()
    {
        await using var writer = new JsonlRecordWriter(NewOutputs(), _directory.File("data.jsonl"), OutputFormat.Alpaca);

        var exception = Assert.Throws<InvalidOperationException>(() => writer.Encode([Record("x", new Message(Roles.Tool, "t"))]));

        Assert.Contains("unrepresentable", exception.Message, StringComparison.Ordinal);
    }

    private async Task<string> WriteTextAsync(OutputFormat format, params ChatRecord[] records) =>
        await WriteTextAsync(format, records, JsonlEncodingOptions.Default);

    private async Task<string> WriteTextAsync(OutputFormat format, ChatRecord[] records, JsonlEncodingOptions options)
    {
        var path = _directory.File($"{Guid.NewGuid():N}.jsonl");
        await using var writer = new JsonlRecordWriter(NewOutputs(), path, format, OutputCompression.None, options);
        await writer.WriteAsync(writer.Encode(records), CancellationToken.None);
        await CommitAsync(writer);
        var bytes = await File.ReadAllBytesAsync(path);
        return new UTF8Encoding(false, true).GetString(bytes);
    }

    private async Task<Core.Stages.OutputFileInfo> WriteFileAsync(string name, OutputFormat format, OutputCompression compression, ChatRecord[] records)
    {
        await using var writer = new JsonlRecordWriter(NewOutputs(), _directory.File(name), format, compression);
        foreach (var batch in records.Chunk(64))
        {
            await writer.WriteAsync(writer.Encode(batch), CancellationToken.None);
        }

        return await CommitAsync(writer);
    }

    private async Task<byte[]> WriteBatchesAsync(string name, ChatRecord[][] batches, bool parallel)
    {
        await using var writer = new JsonlRecordWriter(NewOutputs(), _directory.File(name), OutputFormat.OpenAi);
        var chunks = new Core.Stages.EncodedChunk[batches.Length];
        if (parallel)
        {
            Parallel.For(0, batches.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => chunks[i] = writer.Encode(batches[i]));
        }
        else
        {
            for (var i = 0; i < batches.Length; i++)
            {
                chunks[i] = writer.Encode(batches[i]);
            }
        }

        foreach (var chunk in chunks)
        {
            await writer.WriteAsync(chunk, CancellationToken.None);
        }

        var info = await CommitAsync(writer);
        return await File.ReadAllBytesAsync(info.Path);
    }

    private static byte[] Decompress(byte[] compressed, OutputCompression compression)
    {
        using var input = new MemoryStream(compressed);
        using Stream decompressor = compression == OutputCompression.Gzip
            ? new GZipStream(input, CompressionMode.Decompress)
            : new ZstdSharp.DecompressionStream(input);
        using var output = new MemoryStream();
        decompressor.CopyTo(output);
        return output.ToArray();
    }
}
