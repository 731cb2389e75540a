namespace Curation.Dedup.MinHash;

/// <summary>Steele, Lea and Flood's SplitMix64: a tiny seeded generator whose output is fixed forever by its seed.</summary>
internal struct SplitMix64(ulong seed)
{
    /// <summary>The output function's multipliers, for the vector forms of <see cref="Mix"/>.</summary>
    public const ulong FirstMultiplier = 0xBF58476D1CE4E5B9;
    public const ulong SecondMultiplier = 0x94D049BB133111EB;

    private ulong _state = seed;

    public ulong Next() => Mix(_state += 0x9E3779B97F4A7C15);

    /// <summary>The generator's output function: a bijection of 64-bit values in which every input bit affects every output bit.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * FirstMultiplier;
        z = (z ^ (z >> 27)) * SecondMultiplier;
        return z ^ (z >> 31);
    }
}
