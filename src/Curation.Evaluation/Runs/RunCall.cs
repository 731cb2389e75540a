using Curation.Evaluation.Arms;

namespace Curation.Evaluation.Runs;

/// <summary>One answered call of a run, as the run log keeps it and the scoring reads it.</summary>
/// <param name="Item">The item's index in the golden set.</param>
/// <param name="Cost">What the call cost at the arm's prices (0 for a cache hit: nothing was spent).</param>
/// <param name="ListCost">What the call costs at the arm's prices whether cached or not: the figure reports use.</param>
internal sealed record RunCall(
    string Arm, string ItemId, int Item, int Repeat, string PromptVersion, ArmAnswer Answer, bool CacheHit, double Cost, double ListCost);
