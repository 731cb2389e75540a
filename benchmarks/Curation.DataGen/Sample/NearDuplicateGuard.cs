using Curation.DataGen.Model;

namespace Curation.DataGen.Sample;

/// <summary>
/// Keeps unplanted records apart: a candidate whose word 5-gram shingles overlap an accepted record's by
/// <see cref="Threshold"/> (Jaccard) or more is refused, so the only near-duplicates in the sample are the planted ones.
/// MinHash with banding finds the candidates; the exact Jaccard of the shingle sets decides.
/// </summary>
internal sealed class NearDuplicateGuard
{
    public const int ShingleWords = 5;
    public const double Threshold = 0.5;

    private const int Bands = 32;
    private const int RowsPerBand = 2;

    private static readonly ulong[] Seeds = MakeSeeds(Bands * RowsPerBand);

    private readonly List<HashSet<ulong>> _accepted = [];
    private readonly Dictionary<(int Band, ulong Key), List<int>> _buckets = [];

    /// <summary>Accepts the conversation unless it is a near-duplicate of one accepted before.</summary>
    public bool TryAdd(Conversation conversation)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        var shingles = Shingles(string.Join("\n", conversation.ChatTurns().Select(t => t.Content)));
        var keys = BandKeys(shingles);
        var checkedCandidates = new HashSet<int>();
        for (var band = 0; band < Bands; band++)
        {
            if (_buckets.TryGetValue((band, keys[band]), out var members))
            {
                foreach (var index in members)
                {
                    if (checkedCandidates.Add(index) && Jaccard(shingles, _accepted[index]) >= Threshold)
                    {
                        return false;
                    }
                }
            }
        }

        var id = _accepted.Count;
        _accepted.Add(shingles);
        for (var band = 0; band < Bands; band++)
        {
            if (!_buckets.TryGetValue((band, keys[band]), out var members))
            {
                members = [];
                _buckets[(band, keys[band])] = members;
            }

            members.Add(id);
        }

        return true;
    }

    /// <summary>Hashes of every run of <see cref="ShingleWords"/> lower-cased words (letters and digits); short texts give one shingle.</summary>
    public static HashSet<ulong> Shingles(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = new List<ulong>();
        var hash = 14695981039346656037UL;
        var inWord = false;
        foreach (var ch in text)
        {
            if (char.IsLetterOrDigit(ch))
            {
                hash = (hash ^ char.ToLowerInvariant(ch)) * 1099511628211UL;
                inWord = true;
            }
            else if (inWord)
            {
                words.Add(hash);
                hash = 14695981039346656037UL;
                inWord = false;
            }
        }

        if (inWord)
        {
            words.Add(hash);
        }

        var shingles = new HashSet<ulong>();
        var count = Math.Max(1, words.Count - ShingleWords + 1);
        for (var i = 0; i < count; i++)
        {
            var shingle = 0x9E3779B97F4A7C15UL;
            for (var j = i; j < Math.Min(words.Count, i + ShingleWords); j++)
            {
                shingle = Mix(shingle ^ words[j]);
            }

            shingles.Add(shingle);
        }

        return shingles;
    }

    public static double Jaccard(HashSet<ulong> a, HashSet<ulong> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var (small, large) = a.Count <= b.Count ? (a, b) : (b, a);
        var shared = small.Count(large.Contains);
        var union = a.Count + b.Count - shared;
        return union == 0 ? 1 : shared / (double)union;
    }

    private static ulong[] BandKeys(HashSet<ulong> shingles)
    {
        var minimums = new ulong[Seeds.Length];
        Array.Fill(minimums, ulong.MaxValue);
        foreach (var shingle in shingles)
        {
            for (var i = 0; i < Seeds.Length; i++)
            {
                var value = Mix(shingle ^ Seeds[i]);
                if (value < minimums[i])
                {
                    minimums[i] = value;
                }
            }
        }

        var keys = new ulong[Bands];
        for (var band = 0; band < Bands; band++)
        {
            var key = 0UL;
            for (var row = 0; row < RowsPerBand; row++)
            {
                key = Mix(key ^ minimums[band * RowsPerBand + row]);
            }

            keys[band] = key;
        }

        return keys;
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong[] MakeSeeds(int count)
    {
        var seeds = new ulong[count];
        var state = 0x5DEECE66DUL;
        for (var i = 0; i < count; i++)
        {
            state += 0x9E3779B97F4A7C15UL;
            seeds[i] = Mix(state);
        }

        return seeds;
    }
}
