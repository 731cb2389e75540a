using System.Text.Json;

namespace Curation.Core.Stages;

/// <summary>
/// A reporting stage whose figures add up over parts of its input (counts, histograms): each shard task of a split
/// run saves its figures, and the merge adds every task's figures into a stage that has seen nothing and reports
/// once, so the notes are the ones a single process gives.
/// </summary>
public interface IMergeableReport : IReportingStage
{
    /// <summary>The figures gathered so far, as JSON that <see cref="AddFigures"/> takes back.</summary>
    JsonElement SaveFigures();

    /// <summary>Adds figures that another instance of the same stage saved.</summary>
    /// <exception cref="CurationException">The figures are not this stage's.</exception>
    void AddFigures(JsonElement figures);
}
