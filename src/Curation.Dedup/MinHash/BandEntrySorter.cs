using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Curation.Dedup.MinHash;

/// <summary>
/// Sorts one band's (key, document) entries by key, then by document. Band keys are hashes, spread evenly over their
/// range, so their top bits place each entry almost where it belongs: one counting pass, one pass that moves each
/// entry from the index's buffer into its group of the destination, and an insertion sort that moves an entry a step
/// or two; instead of a comparison sort of the copied entries, whose order among equal keys depended on how it ran.
/// </summary>
internal static class BandEntrySorter
{
    /// <summary>
    /// Writes the entries (<paramref name="keys"/>[i], <paramref name="documents"/>[i]) to the start of
    /// <paramref name="sortedKeys"/> and <paramref name="sortedDocuments"/>, ordered by key, then by document.
    /// </summary>
    /// <exception cref="ArgumentException">The lists differ in length, or a destination is shorter than them.</exception>
    public static void Sort(ChunkedList<ulong> keys, ChunkedList<int> documents, Span<ulong> sortedKeys, Span<int> sortedDocuments)
    {
        var count = keys.Count;
        if (documents.Count != count || sortedKeys.Length < count || sortedDocuments.Length < count)
        {
            throw new ArgumentException($"{count} keys and {documents.Count} documents into room for {sortedKeys.Length} and {sortedDocuments.Length}");
        }

        var targetKeys = sortedKeys[..count];
        var targetDocuments = sortedDocuments[..count];
        if (count < TopBitGroups.SmallCount)
        {
            keys.CopyTo(targetKeys);
            documents.CopyTo(targetDocuments);
            ComparisonSort(targetKeys, targetDocuments);
            return;
        }

        Distribute(keys, documents, targetKeys, targetDocuments);
        if (!TryInsertionSort(targetKeys, targetDocuments))
        {
            ComparisonSort(targetKeys, targetDocuments);
        }
    }

    /// <summary>Copies the entries into the targets grouped by their keys' top bits, about one entry per group, each group in source order.</summary>
    private static void Distribute(ChunkedList<ulong> keys, ChunkedList<int> documents, Span<ulong> targetKeys, Span<int> targetDocuments)
    {
        var bits = TopBitGroups.Bits(keys.Count);
        var shift = 64 - bits;
        var groups = (1 << bits) + 1;
        var rented = ArrayPool<int>.Shared.Rent(groups);
        try
        {
            var next = rented.AsSpan(0, groups);
            next.Clear();

            // A group index is below 2^bits by construction (the top bits of a 64-bit value), and the groups' starts
            // add up to the entries' count, so these reads and writes go without bounds checks.
            ref var first = ref MemoryMarshal.GetReference(next);
            for (var chunk = 0; chunk < keys.ChunkCount; chunk++)
            {
                foreach (var key in keys.Chunk(chunk))
                {
                    Unsafe.Add(ref first, (nint)(key >> shift) + 1)++;
                }
            }

            for (var group = 1; group < next.Length; group++)
            {
                next[group] += next[group - 1];
            }

            ref var outputKeys = ref MemoryMarshal.GetReference(targetKeys);
            ref var outputDocuments = ref MemoryMarshal.GetReference(targetDocuments);
            for (var chunk = 0; chunk < keys.ChunkCount; chunk++)
            {
                var chunkKeys = keys.Chunk(chunk);
                var chunkDocuments = documents.Chunk(chunk);
                for (var i = 0; i < chunkKeys.Length; i++)
                {
                    var key = chunkKeys[i];
                    var slot = Unsafe.Add(ref first, (nint)(key >> shift))++;
                    Unsafe.Add(ref outputKeys, slot) = key;
                    Unsafe.Add(ref outputDocuments, slot) = chunkDocuments[i];
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Sorts entries that are already nearly in order; gives up (false) if they are not, as when many keys share their
    /// top bits without being equal, which evenly spread hashes almost never do.
    /// </summary>
    private static bool TryInsertionSort(Span<ulong> keys, Span<int> documents)
    {
        var budget = 8L * keys.Length;
        ref var firstKey = ref MemoryMarshal.GetReference(keys);
        ref var firstDocument = ref MemoryMarshal.GetReference(documents);
        for (var i = 1; i < keys.Length; i++)
        {
            var (key, document) = (Unsafe.Add(ref firstKey, i), Unsafe.Add(ref firstDocument, i));
            if (!Before(key, document, Unsafe.Add(ref firstKey, i - 1), Unsafe.Add(ref firstDocument, i - 1)))
            {
                continue;
            }

            // Indices stay within 0..i of the spans.
            var j = i;
            do
            {
                Unsafe.Add(ref firstKey, j) = Unsafe.Add(ref firstKey, j - 1);
                Unsafe.Add(ref firstDocument, j) = Unsafe.Add(ref firstDocument, j - 1);
                j--;
            }
            while (j > 0 && Before(key, document, Unsafe.Add(ref firstKey, j - 1), Unsafe.Add(ref firstDocument, j - 1)));

            Unsafe.Add(ref firstKey, j) = key;
            Unsafe.Add(ref firstDocument, j) = document;
            budget -= i - j;
            if (budget < 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>By key, then by document: a comparison sort by key, then each run of equal keys by document.</summary>
    private static void ComparisonSort(Span<ulong> keys, Span<int> documents)
    {
        keys.Sort(documents);
        for (var start = 0; start < keys.Length;)
        {
            var end = start + 1;
            while (end < keys.Length && keys[end] == keys[start])
            {
                end++;
            }

            documents[start..end].Sort();
            start = end;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Before(ulong key, int document, ulong otherKey, int otherDocument) =>
        key < otherKey || (key == otherKey && document < otherDocument);
}
