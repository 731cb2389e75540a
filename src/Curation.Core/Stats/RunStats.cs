namespace Curation.Core.Stats;

/// <summary>The counters of every stage of one run, in pipeline order.</summary>
public sealed class RunStats
{
    private readonly List<StageCounters> _stages = [];

    public IReadOnlyList<StageCounters> Stages => _stages;

    public StageCounters Add(string stage)
    {
        var counters = new StageCounters(stage);
        _stages.Add(counters);
        return counters;
    }

    /// <summary>
    /// Checks input = kept + rejected per stage, and that each stage received what the previous one kept.
    /// Returns one message per failure; empty when the run balances.
    /// </summary>
    public IReadOnlyList<string> CheckBalance()
    {
        var problems = new List<string>();
        StageCounters? previous = null;
        foreach (var stage in _stages)
        {
            if (!stage.Balances)
            {
                problems.Add(stage.Restored == 0
                    ? $"stage '{stage.Stage}': input {stage.Input} != kept {stage.Kept} + rejected {stage.Rejected}"
                    : $"stage '{stage.Stage}': input {stage.Input} + restored {stage.Restored} != kept {stage.Kept} + rejected {stage.Rejected}");
            }

            if (previous is not null && previous.Kept != stage.Input)
            {
                problems.Add($"stage '{stage.Stage}': received {stage.Input} but '{previous.Stage}' kept {previous.Kept}");
            }

            previous = stage;
        }

        return problems;
    }
}
