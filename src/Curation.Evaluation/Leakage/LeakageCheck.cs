using Curation.Core;
using Curation.Dedup.MinHash;
using Curation.Dedup.Near;
using Curation.Evaluation.Golden;

namespace Curation.Evaluation.Leakage;

/// <summary>
/// Finds golden items that leaked into training data: each item's prompt turns and expected answer are fingerprinted
/// with the settings of a near-dedup index of the training data (written by <c>save_index</c>) and compared with its
/// records exactly as near-dedup's <c>against</c> option compares records, so that an item is reported exactly when
/// <c>against</c> with the same threshold would drop the same conversation. The index is loaded once.
/// </summary>
internal sealed class LeakageCheck
{
    public const double DefaultThreshold = LshParameters.DefaultThreshold;

    private readonly DedupIndex _index;
    private readonly TextFingerprinter _fingerprinter;

    private LeakageCheck(DedupIndex index)
    {
        _index = index;
        _fingerprinter = new TextFingerprinter(index.Settings);
    }

    /// <summary>Records in the training index.</summary>
    public int IndexedRecords => _index.Ids.Count;

    /// <exception cref="CurationException">The index file is missing, not an index, or damaged: one line naming it.</exception>
    public static LeakageCheck Open(string indexPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(indexPath);
        return new LeakageCheck(DedupIndex.Read(indexPath));
    }

    /// <summary>Opens <paramref name="indexPath"/> and checks <paramref name="items"/> against it (<see cref="Find(IReadOnlyList{GoldenItem}, double)"/>).</summary>
    /// <exception cref="CurationException">The index file is missing, not an index, or damaged: one line naming it.</exception>
    public static IReadOnlyList<Leak> Run(string indexPath, IReadOnlyList<GoldenItem> items, double threshold = DefaultThreshold) =>
        Open(indexPath).Find(items, threshold);

    /// <summary>
    /// Every pair of a golden item and an indexed training record whose exact Jaccard similarity is at least
    /// <paramref name="threshold"/> (near-dedup's <c>threshold</c>), among the candidates the index's bands find;
    /// ordered by golden id, then highest Jaccard first, then training id (ordinal).
    /// </summary>
    public IReadOnlyList<Leak> Find(IReadOnlyList<GoldenItem> items, double threshold = DefaultThreshold)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (!(threshold > 0 && threshold <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "a Jaccard threshold in (0, 1]");
        }

        var leaks = new List<Leak>();
        foreach (var item in items)
        {
            var (shingles, bandKeys) = _fingerprinter.Fingerprint(TextOf(item));
            foreach (var (document, jaccard) in _index.NearDuplicates(shingles, bandKeys, threshold))
            {
                leaks.Add(new Leak(item.Id, _index.Ids[document], jaccard));
            }
        }

        return
        [
            .. leaks
                .OrderBy(leak => leak.GoldenId, StringComparer.Ordinal)
                .ThenByDescending(leak => leak.Jaccard)
                .ThenBy(leak => leak.TrainingId, StringComparer.Ordinal),
        ];
    }

    /// <summary>What near-dedup would fingerprint of the item as a training conversation: its prompt turns, then the expected answer.</summary>
    public static string TextOf(GoldenItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var turns = item.Prompt.Select(message => message.Content);
        return TextFingerprinter.Join(item.Expected is { } expected ? turns.Append(expected) : turns);
    }
}
