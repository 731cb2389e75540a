using Curation.Core.Stages;
using Curation.Core.Files;
using System.Text;
using Curation.Core.Records;
using Curation.IO.Writers;
using static Curation.IO.Tests.Writers.SampleRecords;

namespace Curation.IO.Tests.Writers;

public sealed class RejectsWriterTests : IDisposable
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
    public async Task WriteAsync_EachKindOfReject_WritesTheExactLines()
    {
        Reject[] rejects =
        [
            new("read", "malformed-json", "invalid JSON at byte 5: x (truncated line?)", new SourceRef("a.jsonl", 3, SourceUnit.Line)) { RawText = "{\"a\":" },
            new("read", "invalid-utf8", "invalid UTF-8 at byte 0 (0xC3)", new SourceRef("c.json", 4, SourceUnit.Element)) { RawBase64 = "wyg=" },
            new("validate", "empty-turn", "turn 2 is empty", new SourceRef("b.csv", 2, SourceUnit.Row))
            {
                Record = Record("r9", new Message(Roles.User, "q"), new Message(Roles.Assistant, "")).WithMetadata("""{"k":"é"}"""),
            },
        ];

        var path = _directory.File("rejects.jsonl");
        await using var writer = new RejectsWriter(NewOutputs(), path);
        await writer.WriteAsync(writer.Encode(rejects), CancellationToken.None);
        var info = await CommitAsync(writer);

        var expected =
            """{"stage":"read","rule":"malformed-json","detail":"invalid JSON at byte 5: x (truncated line?)","source":{"file":"a.jsonl","line":3},"raw":"{\"a\":"}""" + "\n"
            + """{"stage":"read","rule":"invalid-utf8","detail":"invalid UTF-8 at byte 0 (0xC3)","source":{"file":"c.json","element":4},"raw_base64":"wyg="}""" + "\n"
            + """{"stage":"validate","rule":"empty-turn","detail":"turn 2 is empty","source":{"file":"b.csv","row":2},"id":"r9","record":{"id":"r9","messages":[{"role":"user","content":"q"},{"role":"assistant","content":""}],"metadata":{"k":"é"}}}""" + "\n";
        Assert.Equal(expected, Encoding.UTF8.GetString(await File.ReadAllBytesAsync(path)));
        Assert.Equal("rejects", info.Role);
        Assert.Equal(3, info.Records);
    }
}
