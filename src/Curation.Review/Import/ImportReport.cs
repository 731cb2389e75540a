using System.Globalization;
using System.Text;

namespace Curation.Review.Import;

/// <summary>What an import found: tasks, responses that counted and why others did not, verdicts and agreement.</summary>
public sealed record ImportReport
{
    public int Tasks { get; init; }

    public int CountedResponses { get; init; }

    public int Drafts { get; init; }

    /// <summary>Drafts because the export stated no status (Argilla's <c>Dataset.to_disk</c> writes none).</summary>
    public int DraftsWithoutStatus { get; init; }

    public int Discarded { get; init; }

    public int Cancelled { get; init; }

    public int RejectedInReview { get; init; }

    public int Accepted { get; init; }

    public int Rejected { get; init; }

    public int Corrected { get; init; }

    /// <summary>Tasks with no counted vote (only drafts, skips or empty responses): their records stay unreviewed.</summary>
    public int Undecided { get; init; }

    public int Ties { get; init; }

    public TieRule TieRule { get; init; }

    /// <summary>Tasks where two or more counted responses voted.</summary>
    public int MultiReviewed { get; init; }

    public int Unanimous { get; init; }

    /// <summary>Over tasks with two or more votes: the share of reviewer pairs that voted alike (percent agreement).</summary>
    public double? PairwiseAgreement { get; init; }

    /// <summary>Over tasks with two or more votes: the mean share of votes for the verdict.</summary>
    public double? MeanAgreement { get; init; }

    public int GroundTruth { get; init; }

    /// <summary>Pairs where reviewers chose one record over the other.</summary>
    public int Preferences { get; init; }

    /// <summary>Pairs found distinct, with no side chosen, or split evenly.</summary>
    public int PairsWithoutPreference { get; init; }

    public override string ToString()
    {
        var culture = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append(culture, $"{Tasks} tasks, {CountedResponses} responses counted");
        var skipped = new List<string>();
        AddIf(skipped, Drafts, DraftsWithoutStatus == 0
            ? "drafts"
            : string.Create(culture, $"drafts, {DraftsWithoutStatus} of them without a status, which Argilla loads as drafts (Dataset.to_disk writes none; dataset.records.to_datasets() keeps them)"));
        AddIf(skipped, Discarded, "discarded");
        AddIf(skipped, Cancelled, "skipped or cancelled");
        AddIf(skipped, RejectedInReview, "annotations rejected in Label Studio review");
        if (skipped.Count > 0)
        {
            text.Append(" (not counted: ").Append(string.Join(", ", skipped)).Append(')');
        }

        text.AppendLine();
        text.Append(culture, $"verdicts: {Accepted} accept ({Corrected} with a corrected answer), {Rejected} reject, {Undecided} without a vote");
        if (GroundTruth > 0)
        {
            text.Append(culture, $", {GroundTruth} settled by a ground-truth annotation");
        }

        text.AppendLine();
        text.Append(culture, $"agreement: {MultiReviewed} tasks with two or more votes");
        if (MultiReviewed > 0)
        {
            text.Append(culture, $", {Unanimous} unanimous, pairwise agreement {PairwiseAgreement * 100:0.0}%, mean share for the verdict {MeanAgreement * 100:0.0}%");
        }

        text.Append(culture, $"; ties: {Ties} ({(TieRule == TieRule.Skip ? "left undecided" : $"settled as {TieRule.ToString().ToLowerInvariant()}")})");
        if (Preferences + PairsWithoutPreference > 0)
        {
            text.AppendLine();
            text.Append(culture, $"preferences: {Preferences} pairs with a side chosen, {PairsWithoutPreference} without (found distinct, no side chosen, or an even split)");
        }

        return text.ToString();
    }

    private static void AddIf(List<string> parts, int count, string what)
    {
        if (count > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{count} {what}"));
        }
    }
}
