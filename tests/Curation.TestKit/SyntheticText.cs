namespace Curation.TestKit;

/// <summary>Seeded word salad for near-duplicate tests: distinct seeds give unrelated texts, one seed the same text.</summary>
public static class SyntheticText
{
    /// <summary><paramref name="length"/> words drawn from <paramref name="words"/>, each with a number after it.</summary>
    public static string Paragraph(IReadOnlyList<string> words, int seed, int length)
    {
        ArgumentNullException.ThrowIfNull(words);
        var random = new Random(seed);
        return string.Join(' ', Enumerable.Range(0, length).Select(_ => words[random.Next(words.Count)] + random.Next(1000)));
    }
}
