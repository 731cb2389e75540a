using Curation.Core.Records;
using Curation.Pipeline.ScaleOut;
using Curation.Pipeline.ScaleOut.Handover;
using Curation.TestKit;

namespace Curation.Pipeline.Tests.ScaleOut;

public sealed class ShardStepsTests
{
    private const string OneRecord = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"hello\"}]}\n";

    [Theory]
    [InlineData("[normalize, validate]", "T0 normalize validate (final)")]
    [InlineData(
        "[normalize, exact-dedup, near-dedup, pii, exact-dedup-2, validate]",
        "T0 normalize, keys for exact-dedup, fingerprints for near-dedup | R1 exact-dedup keys | P2 near-dedup pairs, leaving out exact-dedup | C3 near-dedup clusters, leaving out exact-dedup | T4 exact-dedup near-dedup pii, keys for exact-dedup-2 | R5 exact-dedup-2 keys | T6 exact-dedup-2 validate (final)")]
    [InlineData("[exact-dedup, validate]", "T0, keys for exact-dedup | R1 exact-dedup keys | T2 exact-dedup validate (final)")]
    [InlineData("[validate, near-dedup, exact-dedup]", "T0 validate, fingerprints for near-dedup | P1 near-dedup pairs | C2 near-dedup clusters | G3 near-dedup exact-dedup | T4 (final)")]
    [InlineData("[validate, exact-dedup]", "T0 validate, keys for exact-dedup | R1 exact-dedup keys | T2 exact-dedup (final)")]
    [InlineData("[near-dedup, validate]", "T0, fingerprints for near-dedup | P1 near-dedup pairs | C2 near-dedup clusters | T3 near-dedup validate (final)")]
    [InlineData("[validate, near-dedup-saved, pii]", "T0 validate | G1 near-dedup | T2 pii (final)")]
    [InlineData("[exact-dedup, near-dedup-saved]", "T0, keys for exact-dedup | R1 exact-dedup keys | G2 exact-dedup near-dedup | T3 (final)")]
    [InlineData("[validate, split]", "T0 validate, split keys for split | S1 split assignments | T2 split (final)")]
    [InlineData(
        "[exact-dedup, near-dedup, split, pii]",
        "T0, keys for exact-dedup, fingerprints for near-dedup | R1 exact-dedup keys | P2 near-dedup pairs, leaving out exact-dedup | C3 near-dedup clusters, leaving out exact-dedup | T4 exact-dedup near-dedup, split keys for split | S5 split assignments | T6 split pii (final)")]
    [InlineData("[validate, split, exact-dedup]", "T0 validate, split keys for split | S1 split assignments | T2 split, keys for exact-dedup | R3 exact-dedup keys | T4 exact-dedup (final)")]
    [InlineData("[near-dedup-saved, split]", "T0 | G1 near-dedup split | T2 (final)")]
    [InlineData("[validate, split-parquet]", "T0 validate | G1 split | T2 (final)")]
    [InlineData("[validate, exact-dedup, review-export]", "T0 validate, keys for exact-dedup | R1 exact-dedup keys | T2 exact-dedup review-export (final)")]
    [InlineData("[review-export, near-dedup-saved, pii]", "T0 review-export | G1 near-dedup | T2 pii (final)")]
    public void Of_GathersEachRunOfStagesThatNeedEveryRecord_AndResolvesExactDedupNearDedupAndSplitFromKeysAndFingerprints(string stages, string expected)
    {
        using var temp = new TempFolder();
        temp.Write("in.jsonl", OneRecord);
        var yaml = stages
            .Replace("exact-dedup-2", "exact-dedup: { name: exact-dedup-2, key: prompt }", StringComparison.Ordinal)
            .Replace("near-dedup-saved", "near-dedup: { save_index: index.bin }", StringComparison.Ordinal)
            .Replace("split-parquet", "split: { format: parquet }", StringComparison.Ordinal)
            .Replace("review-export", "review-export: { store: store, random: 3 }", StringComparison.Ordinal);
        var file = temp.Write("p.yaml", $"inputs: [in.jsonl]\nstages: {yaml}\noutput:\n  dir: out\n  format: openai\n");
        var prepared = PipelineFactory.Prepare(file, StageCatalog.Create(), null, null);

        var steps = ShardSteps.Of(prepared);

        // The run adds its output format's check as a last record stage.
        var described = steps.Select(step =>
            $"{step.Kind.ToString()[0]}{step.Index}"
            + (step.Kind is ShardStepKind.Resolve or ShardStepKind.Pairs or ShardStepKind.Clusters or ShardStepKind.Split
                ? " " + step.Describe() + (step.DuplicatesOf is { } left ? $", leaving out {left.Stage.Name}" : string.Empty)
                : string.Concat(new[] { step.DuplicatesOf, step.ClustersOf, step.SplitOf }.Concat(step.Stages).OfType<PreparedStage>().Where(stage => stage.Stage.Name != "output-format").Select(stage => " " + stage.Stage.Name)))
            + (step.KeysFor is { } keyed ? $", keys for {keyed.Stage.Name}" : string.Empty)
            + (step.FingerprintsFor is { } signed ? $", fingerprints for {signed.Stage.Name}" : string.Empty)
            + (step.SplitKeysFor is { } splitting ? $", split keys for {splitting.Stage.Name}" : string.Empty)
            + (step.IsFinal ? " (final)" : string.Empty));
        Assert.Equal(expected, string.Join(" | ", described));
    }

    [Fact]
    public void Of_TheSamplePipeline_ResolvesBothDedupStagesWithoutAGather_AndEachStepReadsWhatTheRightStepWrote()
    {
        var prepared = PipelineFactory.Prepare(Path.Combine(RepositoryPaths.Root, "pipelines", "sample.yaml"), StageCatalog.Create(), null, null);

        var steps = ShardSteps.Of(prepared);

        Assert.Equal(
            ["read; normalize, validate, pii", "exact-dedup keys", "near-dedup pairs", "near-dedup clusters", "exact-dedup, near-dedup, instruction-quality, gopher-repetition, classifier, apply-review, token-length"],
            steps.Select(step => step.Index == 0 ? "read; " + step.Describe() : step.Describe()));
        // apply-review decides each envelope alone, so it runs inside the last step's tasks: no gather.
        Assert.Equal([ShardStepKind.Tasks, ShardStepKind.Resolve, ShardStepKind.Pairs, ShardStepKind.Clusters, ShardStepKind.Tasks], steps.Select(step => step.Kind));

        // Step 0 writes exact-dedup's keys for step 1 and near-dedup's fingerprints for the pairs step 2.
        Assert.Equal("exact-dedup", steps[0].KeysFor?.Stage.Name);
        Assert.Equal(1, steps[0].KeysStep);
        Assert.Equal("near-dedup", steps[0].FingerprintsFor?.Stage.Name);
        Assert.Equal(2, steps[0].FingerprintsStep);

        // Steps 2 (tasks) and 3 (one process) leave out the records step 1 found to be later occurrences, as one
        // process's near-dedup never sees them, and read the fingerprints, pairs and decisions under step 2.
        Assert.False(steps[2].IsSingle);
        Assert.True(steps[3].IsSingle);
        Assert.Equal(["exact-dedup", "exact-dedup"], new[] { steps[2], steps[3] }.Select(step => step.DuplicatesOf?.Stage.Name));
        Assert.Equal([1, 1], new[] { steps[2], steps[3] }.Select(step => step.DuplicatesStep));
        Assert.Equal([2, 2], new[] { steps[2], steps[3] }.Select(step => step.PairsStep));

        // Step 4 goes on from step 0's envelopes and applies step 1's duplicates, then the decisions under step 2.
        Assert.Equal(0, steps[4].ReadsFromStep);
        Assert.Equal(1, steps[4].DuplicatesStep);
        Assert.Equal("near-dedup", steps[4].ClustersOf?.Stage.Name);
        Assert.Equal(2, steps[4].PairsStep);
        Assert.True(steps[4].IsFinal);
    }

    [Fact]
    public async Task PartsHandedOverAndBack_KeepEveryEnvelopeExactly_WithSequencesFollowingOnAcrossShards()
    {
        using var temp = new TempFolder();
        // Shard 1 handed on nothing; shard 2's sequences have a gap, as after a read that gave no envelope for an item.
        long[][] sequences = [[0, 1, 2], [], [0, 1, 5], [0]];
        var written = new List<Envelope[]>();
        for (var shard = 0; shard < sequences.Length; shard++)
        {
            var batch = sequences[shard].Select(sequence => Envelope(shard, sequence)).ToArray();
            written.Add(batch);
            using var writer = new EnvelopePartWriter(temp.File($"in-{shard}.bin"));
            foreach (var half in batch.Chunk(2))
            {
                await writer.WriteAsync(half, CancellationToken.None);
            }

            writer.Commit();
        }

        var source = new ShardPartsSource([.. Enumerable.Range(0, sequences.Length).Select(shard => temp.File($"in-{shard}.bin"))]);
        var fed = new List<Envelope>();
        using (var sink = new ShardPartsSink(source, [.. Enumerable.Range(0, sequences.Length).Select(shard => temp.File($"out-{shard}.bin"))]))
        {
            await foreach (var batch in source.ReadAsync(CancellationToken.None))
            {
                fed.AddRange(batch);
                await sink.WriteAsync(batch, CancellationToken.None);
            }

            sink.Commit();
        }

        Assert.Equal([0, 1, 2, 3, 4, 8, 9], fed.Select(envelope => envelope.Sequence));
        for (var shard = 0; shard < sequences.Length; shard++)
        {
            var back = new List<Envelope>();
            await foreach (var batch in new ShardPartsSource([temp.File($"out-{shard}.bin")]).ReadAsync(CancellationToken.None))
            {
                back.AddRange(batch);
            }

            Assert.Equal(written[shard].Select(Describe), back.Select(Describe));
        }
    }

    [Fact]
    public async Task PartCutShort_IsNamedWithWhatToDo()
    {
        using var temp = new TempFolder();
        using (var writer = new EnvelopePartWriter(temp.File("part.bin")))
        {
            await writer.WriteAsync([Envelope(0, 0), Envelope(0, 1)], CancellationToken.None);
            writer.Commit();
        }

        var bytes = File.ReadAllBytes(temp.File("part.bin"));
        File.WriteAllBytes(temp.File("part.bin"), bytes[..^5]);

        var error = await Assert.ThrowsAsync<Core.CurationException>(async () =>
        {
            await foreach (var unused in new ShardPartsSource([temp.File("part.bin")]).ReadAsync(CancellationToken.None))
            {
            }
        });
        Assert.EndsWith("part.bin: cut short: remove it and rerun the step that wrote it", error.Message, StringComparison.Ordinal);
    }

    private static Envelope Envelope(int shard, long sequence)
    {
        var record = new ChatRecord
        {
            Id = $"r-{shard}-{sequence}",
            Messages = [new Message(Roles.User, $"question {shard} {sequence} \ud800 lone"), new Message(Roles.Assistant, "answer") { Weight = 0.5 }],
            Source = new SourceRef($"f{shard}.jsonl", sequence + 1, SourceUnit.Line),
        };
        return sequence % 2 == 1
            ? Core.Records.Envelope.Rejected(sequence, new Reject("validate", "empty-turn", "turn 2 is empty", record.Source) { Record = record })
            : Core.Records.Envelope.Kept(sequence, record);
    }

    private static string Describe(Envelope envelope) =>
        envelope.Record is { } record
            ? $"{envelope.Sequence} kept {record.Id} {string.Join('|', record.Messages.Select(m => $"{m.Role}:{m.Content}:{m.Weight}"))} {record.Source}"
            : $"{envelope.Sequence} rejected {envelope.Reject!.Stage}/{envelope.Reject.Rule} {envelope.Reject.Detail} {envelope.Reject.Record!.Id} {envelope.Reject.Source}";
}
