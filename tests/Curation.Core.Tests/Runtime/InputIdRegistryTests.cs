using System.IO.Hashing;
using System.Runtime.InteropServices;
using Curation.Core.Records;
using Curation.Core.Runtime;

namespace Curation.Core.Tests.Runtime;

public class InputIdRegistryTests
{
    [Fact]
    public void RejectsEveryRepeat_NamingTheFirstUse_AcrossTableGrowth()
    {
        // Enough ids to grow the table many times and fill several chunks; every seventh record repeats an earlier id.
        var registry = new InputIdRegistry();
        var firstLine = new Dictionary<string, long>();
        var random = new Random(5);
        var line = 0L;
        for (var batchStart = 0; batchStart < 200_000; batchStart += 256)
        {
            var batch = new Envelope[256];
            for (var i = 0; i < batch.Length; i++)
            {
                line++;
                var id = line % 7 == 0 && line > 7 ? $"id-{random.NextInt64(1, line - 1)}" : $"id-{line}";
                batch[i] = Envelope.Kept(line, Record(id, line % 2 == 0 ? "a.jsonl" : "b.jsonl", line));
            }

            registry.RejectRepeats(batch, "read");
            foreach (var envelope in batch)
            {
                var record = envelope.Record ?? envelope.Reject!.Record!;
                if (firstLine.TryGetValue(record.Id, out var first))
                {
                    Assert.NotNull(envelope.Reject);
                    Assert.Equal(InputIdRegistry.DuplicateIdRule, envelope.Reject!.Rule);
                    Assert.Contains($"already used by the record at {(first % 2 == 0 ? "a.jsonl" : "b.jsonl")}:{first};", envelope.Reject.Detail, StringComparison.Ordinal);
                }
                else
                {
                    Assert.NotNull(envelope.Record);
                    firstLine.Add(record.Id, record.Source.Position);
                }
            }
        }

        var own = registry.OwnFirstUses().ToList();
        Assert.Equal(firstLine.Count, own.Count);
        Assert.Equal(firstLine.Values.Order(), own.Select(use => use.First.Position));
        var idAtLine = firstLine.ToDictionary(pair => pair.Value, pair => pair.Key);
        Assert.All(own, use => Assert.Equal(Key(idAtLine[use.First.Position]), use.Key));
    }

    [Fact]
    public void SeededIds_AreRejectedHere_ButNotListedAsOwn()
    {
        var registry = new InputIdRegistry();
        registry.Seed(Key("early"), new SourceRef("shard0.jsonl", 3, SourceUnit.Line));
        var batch = new[] { Envelope.Kept(1, Record("late", "x.jsonl", 1)), Envelope.Kept(2, Record("early", "x.jsonl", 2)) };

        registry.RejectRepeats(batch, "read");

        Assert.NotNull(batch[0].Record);
        Assert.Contains("shard0.jsonl:3", batch[1].Reject!.Detail, StringComparison.Ordinal);
        Assert.Equal([(Key("late"), new SourceRef("x.jsonl", 1, SourceUnit.Line))], registry.OwnFirstUses());
    }

    private static UInt128 Key(string id) => XxHash128.HashToUInt128(MemoryMarshal.AsBytes(id.AsSpan()));

    private static ChatRecord Record(string id, string file, long line) => new()
    {
        Id = id,
        HasInputId = true,
        Messages = [new Message("user", "hello")],
        Source = new SourceRef(file, line, SourceUnit.Line),
    };
}
