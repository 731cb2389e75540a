using System.Collections.Immutable;

namespace Curation.Review.Decisions;

/// <summary>
/// Reviewers' choice between two records shown side by side (a pairwise question): the chosen one over the other.
/// <c>curate review pairs</c> turns these into prompt/chosen/rejected examples for preference tuning (DPO).
/// </summary>
public sealed record PreferencePair
{
    public required string Chosen { get; init; }

    public required string Rejected { get; init; }

    /// <summary>Everyone whose response chose a side, sorted.</summary>
    public ImmutableArray<string> Reviewers { get; init; } = [];

    public int ChosenVotes { get; init; }

    public int RejectedVotes { get; init; }

    /// <summary>Share of the votes for the chosen side (1 when alone or unanimous).</summary>
    public double Agreement { get; init; } = 1;

    /// <summary>The review batch the pair was exported in; null for imports mapped from another tool's project.</summary>
    public string? Batch { get; init; }

    public required string Tool { get; init; }

    public required string File { get; init; }

    public required string Task { get; init; }

    /// <summary>The two records, whichever was chosen: a later preference about the same two replaces this one.</summary>
    public string Key => KeyOf(Chosen, Rejected);

    public static string KeyOf(string one, string other) =>
        string.CompareOrdinal(one, other) <= 0 ? $"{one}\n{other}" : $"{other}\n{one}";

    /// <summary>Same preference, ignoring where it was imported from.</summary>
    public bool SamePreferenceAs(PreferencePair other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Chosen == other.Chosen && Rejected == other.Rejected && Reviewers.SequenceEqual(other.Reviewers)
            && ChosenVotes == other.ChosenVotes && RejectedVotes == other.RejectedVotes;
    }
}
