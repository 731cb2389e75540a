using System.Globalization;
using System.Text.Json;
using Curation.Core.Records;

namespace Curation.Review.Queue;

/// <summary>A record a run produced, kept or rejected, offered to the selectors that choose what reviewers see.</summary>
/// <param name="Order">Position in the run's output; selected items are listed in this order.</param>
public sealed record ReviewCandidate(ChatRecord Record, long Order, Reject? Reject = null)
{
    /// <summary>The stage that rejected the record, or "kept".</summary>
    public string Stage => Reject?.Stage ?? "kept";

    /// <summary>The quality score in <paramref name="scoreField"/>, or the one a classifier reject states in its detail.</summary>
    public double? Score(string scoreField)
    {
        if (Record.Metadata.TryGetValue(scoreField, out var value) && value.ValueKind == JsonValueKind.Number)
        {
            return value.GetDouble();
        }

        // The classifier stage drops a record before writing its score; the detail reads "score 0.4512 < threshold 0.5".
        if (Reject is { Detail: var detail } && detail.StartsWith("score ", StringComparison.Ordinal))
        {
            var end = detail.IndexOf(' ', 6);
            if (end > 6 && double.TryParse(detail.AsSpan(6, end - 6), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
            {
                return parsed;
            }
        }

        return null;
    }
}
