using System.Collections.Immutable;
using System.Text.Json;
using Curation.Core.Records;
using Curation.Core.Runtime;
using Curation.TestKit;

namespace Curation.Core.Tests.Runtime;

public sealed class EnvelopeSpillTests
{
    [Fact]
    public async Task ReadAsync_ReturnsEveryBatchAsWritten_RecordsAndRejectsExactly()
    {
        var metadata = ImmutableSortedDictionary.Create<string, JsonElement>(StringComparer.Ordinal)
            .Add("score", JsonSerializer.SerializeToElement(0.5))
            .Add("tags", JsonSerializer.SerializeToElement(new[] { "a", "é" }));
        var record = Chat.Builder().System("Be brief.").User("Hi 👋").Assistant("Hello").WithId("r1").At("in.jsonl", 3).Build() with
        {
            Metadata = metadata,
            Messages = [new Message(Roles.User, "q") { Name = "ana" }, new Message(Roles.Assistant, "a") { Weight = 0 }],
        };
        var loneSurrogate = record with { Id = "r2", Messages = [new Message(Roles.User, "bad \uD800 text")] };
        var reject = new Reject("read", "invalid-utf8", "byte 3", new SourceRef("in.jsonl", 4, SourceUnit.Line)) { RawBase64 = "AAEC" };
        var withRecord = new Reject("normalize", "invalid-unicode", "lone surrogate", loneSurrogate.Source) { Record = loneSurrogate };
        Envelope[][] batches =
        [
            [Envelope.Kept(0, record), Envelope.Rejected(1, reject)],
            [],
            [Envelope.Rejected(2, withRecord), Envelope.Kept(3, record with { Source = new SourceRef("t.parquet", 9, SourceUnit.Row) })],
        ];

        await using var spill = new EnvelopeSpill();
        foreach (var batch in batches)
        {
            spill.Write(batch);
        }

        var read = new List<Envelope[]>();
        await foreach (var batch in spill.ReadAsync(CancellationToken.None))
        {
            read.Add(batch);
        }

        Assert.Equal(batches.Select(b => b.Length), read.Select(b => b.Length));
        Assert.Equal(Describe(batches), Describe(read));
        Assert.Equal("bad \uD800 text", read[2][0].Reject!.Record!.Messages[0].Content);
    }

    [Fact]
    public async Task ReadAsync_KeepsRolesAndSourcesExactly_WhenTheyAreReusedOrUnusual()
    {
        // Known roles and a record's file come back as shared strings; anything else must still come back as written.
        var longFile = "/data/" + new string('d', 1500) + ".jsonl";
        (string File, string Role)[] shapes =
        [
            ("a.jsonl", Roles.User), ("b.jsonl", Roles.Assistant), ("a.jsonl", "narrator"),
            ("a.jsonl", "customer-success-manager"), (longFile, Roles.Tool), ("b\uD800.jsonl", "ro\uDC00le"), ("", ""),
            ("b.jsonl", Roles.System), ("b.jsonl", "assistantx"), ("b.jsonl", "assistan"),
        ];
        var records = shapes.Select((r, i) => new ChatRecord
        {
            Id = $"r{i}",
            Source = new SourceRef(r.File, i + 1, SourceUnit.Line),
            Messages = [new Message(r.Role, $"turn {i}"), new Message(Roles.Assistant, "ok")],
        }).ToArray();
        Envelope[] batch = [.. records.Select((record, i) => Envelope.Kept(i, record))];

        await using var spill = new EnvelopeSpill();
        spill.Write(batch);
        var read = new List<Envelope[]>();
        await foreach (var written in spill.ReadAsync(CancellationToken.None))
        {
            read.Add(written);
        }

        Assert.Equal(Describe([batch]), Describe(read));
        Assert.Same(Roles.Assistant, read[0][1].Record!.Messages[0].Role);
        Assert.Same(read[0][2].Record!.Source.File, read[0][3].Record!.Source.File);
        Assert.Equal(longFile, read[0][4].Record!.Source.File);
        Assert.True(read[0].All(e => e.Record!.Metadata.IsEmpty));
    }

    [Fact]
    public async Task SpillFile_HasNoNameOnDisk_SoNoExitLeavesItBehind()
    {
        var before = Directory.GetFiles(Path.GetTempPath(), "curation-spill-*").Length;
        await using (var spill = new EnvelopeSpill())
        {
            spill.Write([Envelope.Kept(0, Chat.Record("q", "a"))]);
            Assert.Equal(before, Directory.GetFiles(Path.GetTempPath(), "curation-spill-*").Length);
            Assert.True(spill.Bytes > 0);
        }

        Assert.Equal(before, Directory.GetFiles(Path.GetTempPath(), "curation-spill-*").Length);
    }

    private static List<string> Describe(IEnumerable<Envelope[]> batches) =>
        [.. batches.SelectMany(b => b).Select(e => e.Sequence + " " + (e.Record is { } r ? Describe(r) : $"{e.Reject!.Stage}/{e.Reject.Rule}/{e.Reject.Detail}/{e.Reject.Source}/{e.Reject.RawText}/{e.Reject.RawBase64}/{(e.Reject.Record is { } rr ? Describe(rr) : "-")}"))];

    private static string Describe(ChatRecord record) =>
        $"{record.Id}@{record.Source}:" + string.Join("|", record.Messages.Select(m => $"{m.Role}={m.Content}/{m.Weight}/{m.Name}"))
        + ":" + string.Join(",", record.Metadata.Select(kv => kv.Key + "=" + kv.Value.GetRawText()));
}
