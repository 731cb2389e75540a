using Curation.Core.Files;
using Curation.TestKit;

namespace Curation.Core.Tests.Files;

public sealed class OutputPlanTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void ASaneRun_HasNoConflicts()
    {
        var input = _temp.Write("in/a.jsonl", "{}");

        var conflicts = OutputPlan.FindConflicts(
            [Output("out/data.jsonl", "output.dir"), Output("out/rejects.jsonl", "output.rejects"), Output("out/review", "stage 'review': dir", folder: true)],
            [new PlannedRead(_temp.File("in"), "inputs[1]", IsFolder: true), new PlannedRead(input, "inputs[1]")]);

        Assert.Empty(conflicts);
    }

    [Fact]
    public void AnOutputOnAnInput_EvenThroughALink_IsRefused()
    {
        var input = _temp.Write("b/c.jsonl", "{}");
        File.CreateSymbolicLink(_temp.File("alias.jsonl"), input);

        var conflicts = OutputPlan.FindConflicts([Output("alias.jsonl", "output.rejects")], [new PlannedRead(input, "inputs[2]")]);

        var conflict = Assert.Single(conflicts);
        Assert.StartsWith("output.rejects: ", conflict.Problem, StringComparison.Ordinal);
        Assert.Contains("that inputs[2] reads; a run never writes over what it reads", conflict.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void OutputsInsideAFolderRead_AreRefusedOncePerFolder()
    {
        _temp.Write("data/a.jsonl", "{}");

        var conflicts = OutputPlan.FindConflicts(
            [Output("data/out/data.jsonl", "output.dir"), Output("data/out/rejects.jsonl", "output.rejects"), Output("data/other.jsonl", "stage 'near-dedup': clusters")],
            [new PlannedRead(_temp.File("data"), "inputs[1]", IsFolder: true)]);

        Assert.Equal(["output.dir", "stage 'near-dedup': clusters"], conflicts.Select(c => c.Output.Setting));
        Assert.All(conflicts, c => Assert.Contains("a folder this run reads (inputs[1])", c.Problem, StringComparison.Ordinal));
    }

    [Fact]
    public void TwoOutputsOnOnePath_OrOneInsideAnOutputFolder_AreRefused()
    {
        var conflicts = OutputPlan.FindConflicts(
            [
                Output("out/rejects.jsonl", "output.rejects"),
                Output("out/rejects.jsonl", "stage 'near-dedup': clusters"),
                Output("out/review", "stage 'review-export': dir", folder: true),
                Output("out/review/tasks.json", "stage 'near-dedup': save_index"),
            ],
            []);

        Assert.Equal(2, conflicts.Count);
        Assert.Contains("is also where output.rejects goes", conflicts[0].Problem, StringComparison.Ordinal);
        Assert.Contains("lies inside the folder stage 'review-export': dir writes", conflicts[1].Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOutputFolderHoldingAnInput_IsRefused()
    {
        var input = _temp.Write("review/keep.json", "{}");

        var conflict = Assert.Single(OutputPlan.FindConflicts([Output("review", "stage 'review-export': dir", folder: true)], [new PlannedRead(input, "inputs[1]")]));

        Assert.Contains("holds", conflict.Problem, StringComparison.Ordinal);
    }

    private PlannedOutput Output(string relative, string setting, bool folder = false) => new(_temp.File(relative), "data", setting, folder);
}
