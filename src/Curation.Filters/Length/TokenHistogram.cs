using System.Globalization;
using System.Text;

namespace Curation.Filters.Length;

/// <summary>
/// Token counts in power-of-two buckets (under 16, 16–31, …), with exact minimum, maximum and sum, and percentiles
/// read from the buckets. Safe to add to from several threads.
/// </summary>
public sealed class TokenHistogram
{
    private const int Buckets = 32;
    private readonly long[] _counts = new long[Buckets];
    private long _count;
    private long _sum;
    private long _min = long.MaxValue;
    private long _max;

    public long Count => Interlocked.Read(ref _count);

    public void Add(int tokens)
    {
        Interlocked.Increment(ref _counts[BucketOf(tokens)]);
        Interlocked.Increment(ref _count);
        Interlocked.Add(ref _sum, tokens);
        LowerMin(tokens);
        RaiseMax(tokens);
    }

    /// <summary>The counts so far, for another histogram to add up with <see cref="Add(TokenHistogramFigures)"/>.</summary>
    public TokenHistogramFigures Figures() => new(
        [.. _counts], Count, Interlocked.Read(ref _sum), Count == 0 ? 0 : Interlocked.Read(ref _min), Interlocked.Read(ref _max));

    /// <summary>Adds another histogram's counts (another shard's), as if its records had been added here.</summary>
    public void Add(TokenHistogramFigures figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        if (figures.Buckets.Count != Buckets)
        {
            throw new ArgumentException($"expected {Buckets} buckets, got {figures.Buckets.Count}", nameof(figures));
        }

        if (figures.Count == 0)
        {
            return;
        }

        for (var bucket = 0; bucket < Buckets; bucket++)
        {
            Interlocked.Add(ref _counts[bucket], figures.Buckets[bucket]);
        }

        Interlocked.Add(ref _count, figures.Count);
        Interlocked.Add(ref _sum, figures.Sum);
        LowerMin(figures.Min);
        RaiseMax(figures.Max);
    }

    private void LowerMin(long tokens)
    {
        for (var seen = Interlocked.Read(ref _min); tokens < seen; seen = Interlocked.Read(ref _min))
        {
            if (Interlocked.CompareExchange(ref _min, tokens, seen) == seen)
            {
                break;
            }
        }
    }

    private void RaiseMax(long tokens)
    {
        for (var seen = Interlocked.Read(ref _max); tokens > seen; seen = Interlocked.Read(ref _max))
        {
            if (Interlocked.CompareExchange(ref _max, tokens, seen) == seen)
            {
                break;
            }
        }
    }

    /// <summary>The upper bound of the bucket holding the <paramref name="fraction"/> quantile (0.5: median).</summary>
    public long Quantile(double fraction)
    {
        var target = (long)Math.Ceiling(fraction * Count);
        long seen = 0;
        for (var bucket = 0; bucket < Buckets; bucket++)
        {
            seen += _counts[bucket];
            if (seen >= Math.Max(1, target))
            {
                return Math.Min(UpperBound(bucket), _max);
            }
        }

        return _max;
    }

    /// <summary>One line: count, mean, min, p50/p90/p99 (bucket bounds), max, then the non-empty buckets.</summary>
    public string Describe()
    {
        if (Count == 0)
        {
            return "no records";
        }

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Count} records, mean {(double)_sum / Count:0}, min {_min}, p50 ≤{Quantile(0.5)}, p90 ≤{Quantile(0.9)}, p99 ≤{Quantile(0.99)}, max {_max}; ");
        var first = true;
        for (var bucket = 0; bucket < Buckets; bucket++)
        {
            if (_counts[bucket] == 0)
            {
                continue;
            }

            text.Append(first ? string.Empty : ", ");
            text.Append(CultureInfo.InvariantCulture, $"{(bucket == 0 ? 0 : UpperBound(bucket - 1) + 1)}–{UpperBound(bucket)}: {_counts[bucket]}");
            first = false;
        }

        return text.ToString();
    }

    // Bucket 0 holds 0–15, then 16–31, 32–63, …
    private static int BucketOf(int tokens) => tokens < 16 ? 0 : Math.Min(Buckets - 1, 63 - System.Numerics.BitOperations.LeadingZeroCount((ulong)tokens) - 3);

    private static long UpperBound(int bucket) => (16L << bucket) - 1;
}

/// <summary>A <see cref="TokenHistogram"/>'s counts: records per bucket, records, the sum, the least and the most tokens.</summary>
public sealed record TokenHistogramFigures(IReadOnlyList<long> Buckets, long Count, long Sum, long Min, long Max);
