using Curation.Pipeline.ScaleOut.Boundary;
using Curation.TestKit;

namespace Curation.Pipeline.Tests.ScaleOut;

public sealed class PipelineSegmentsTests
{
    [Fact]
    public void Split_CutsAtEveryStageThatNeedsEveryRecord_KeyExchangeOnlyForExactDedup()
    {
        using var temp = new TempFolder();
        temp.Write("in.jsonl", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"hello\"}]}\n");
        var file = temp.Write("p.yaml", """
            inputs: [in.jsonl]
            stages:
              - normalize
              - validate
              - exact-dedup
              - pii
              - near-dedup
              - instruction-quality
            output:
              dir: out
            """);
        var prepared = PipelineFactory.Prepare(file, StageCatalog.Create(), null, null);

        var segments = PipelineSegments.Split(prepared);

        Assert.Equal(
            ["normalize validate | exact-dedup", "pii | near-dedup", "instruction-quality | -"],
            segments.Select(s => $"{string.Join(' ', s.Stages.Select(step => step.Stage.Name))} | {s.Boundary?.Stage.Name ?? "-"}"));
        Assert.Equal([true, false, false], segments.Select(s => s.BoundaryIsKeyExchange));
    }

    [Fact]
    public void Split_RecordStagesOnly_IsOneSegmentWithoutBoundary()
    {
        using var temp = new TempFolder();
        temp.Write("in.jsonl", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"hello\"}]}\n");
        var file = temp.Write("p.yaml", "inputs: [in.jsonl]\nstages: [normalize, validate]\noutput:\n  dir: out\n");

        var segment = Assert.Single(PipelineSegments.Split(PipelineFactory.Prepare(file, StageCatalog.Create(), null, null)));

        Assert.Null(segment.Boundary);
        Assert.Equal(["normalize", "validate"], segment.Stages.Select(step => step.Stage.Name));
    }
}
