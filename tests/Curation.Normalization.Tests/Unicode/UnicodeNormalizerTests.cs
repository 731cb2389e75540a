using System.Globalization;
using System.Text;
using Curation.Core.Text;
using Curation.Core.Unicode;

namespace Curation.Normalization.Tests.Unicode;

public class UnicodeNormalizerTests
{
    private static string Normalize(string text, bool compatibility)
    {
        var output = new PooledCharBuffer(text.Length);
        try
        {
            UnicodeNormalizer.Normalize(text, compatibility, ref output);
            return new string(output.Span);
        }
        finally
        {
            output.Dispose();
        }
    }

    private static readonly Lazy<List<(string Source, string Nfc, string Nfkc)>> Vectors = new(LoadVectors);

    private static List<(string Source, string Nfc, string Nfkc)> LoadVectors()
    {
        // Generated from Python's unicodedata by src/Curation.Core/Unicode/generate_normalization_data.py.
        var data = new List<(string Source, string Nfc, string Nfkc)>();
        foreach (var line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Unicode", "NormalizationVectors.txt")))
        {
            if (line.StartsWith('#'))
            {
                continue;
            }

            var fields = line.Split(';');
            data.Add((Decode(fields[0]), Decode(fields[1]), Decode(fields[2])));
        }

        return data;
    }

    [Fact]
    public void Vectors_CoverEnoughCases() => Assert.True(Vectors.Value.Count > 2000);

    [Fact]
    public void Normalize_ManyVectorsInOneLongAsciiText_EqualsEachNormalizedAlone()
    {
        // Exercises the split into runs: ASCII between the vectors is copied, each vector is normalised in its run.
        foreach (var compatibility in new[] { false, true })
        {
            var chunk = Vectors.Value.Take(400).ToList();
            var text = string.Join(" ab ", chunk.Select(v => v.Source));
            var expected = string.Join(" ab ", chunk.Select(v => compatibility ? v.Nfkc : v.Nfc));
            Assert.Equal(expected, Normalize(text, compatibility));
        }
    }

    [Fact]
    public void Normalize_MatchesReferenceVectors()
    {
        var failures = new List<string>();
        foreach (var (source, nfc, nfkc) in Vectors.Value)
        {
            Check(source, nfc, compatibility: false, failures);
            Check(source, nfkc, compatibility: true, failures);
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }

    [Theory]
    [InlineData("e\u0301", "\u00E9")]
    [InlineData("\u1100\u1161\u11A8", "\uAC01")]
    [InlineData("\uAC00\u11A8", "\uAC01")] // LV syllable + trailing consonant
    [InlineData("\u0041\u030A\u0323", "\u1EA0\u030A")] // dot below (220) sorts before ring (230) and composes first
    [InlineData("\u0344", "\u0308\u0301")] // non-starter decomposition never recomposes
    [InlineData("\u0958", "\u0915\u093C")] // composition exclusion
    [InlineData("\U0001D15E", "\U0001D157\U0001D165")] // excluded supplementary composite
    [InlineData("\U00011099\U000110BA", "\U0001109A")] // supplementary primary composite
    [InlineData("\u0301e", "\u0301e")] // a leading mark has nothing to join
    public void Normalize_Nfc_KnownCases(string input, string expected) =>
        Assert.Equal(expected, Normalize(input, compatibility: false));

    [Theory]
    [InlineData("\uFB01", "fi")]
    [InlineData("\uFF28\uFF49", "Hi")]
    [InlineData("\u2460", "1")]
    [InlineData("\u3300", "\u30A2\u30D1\u30FC\u30C8")] // square katakana apaato recomposes to PA
    [InlineData("\uFDFA", "\u0635\u0644\u0649 \u0627\u0644\u0644\u0647 \u0639\u0644\u064A\u0647 \u0648\u0633\u0644\u0645")]
    public void Normalize_Nfkc_KnownCases(string input, string expected) =>
        Assert.Equal(expected, Normalize(input, compatibility: true));

    [Theory]
    [InlineData("plain ascii", false, true)]
    [InlineData("caf\u00E9", false, true)]
    [InlineData("cafe\u0301", false, false)]
    [InlineData("\u212B", false, false)]
    [InlineData("\uFB01", false, true)]
    [InlineData("\uFB01", true, false)]
    [InlineData("a\u00A0b", false, true)]
    [InlineData("a\u00A0b", true, false)]
    [InlineData("\u0BC6\u0BBE", false, false)]
    [InlineData("\u0B95\u0BBE", false, true)] // Tamil KA + AA sign: may compose, but does not
    [InlineData("a\u0316\u0301", false, false)] // a mark that may compose needs the full check
    [InlineData("a\u0301\u0316", false, false)] // wrong canonical order
    [InlineData("\U0001F469\u200D\U0001F469\u200D\U0001F467", false, true)]
    public void IsNormalized_QuickCheck(string input, bool compatibility, bool expected) =>
        Assert.Equal(expected, UnicodeNormalizer.IsNormalized(input, compatibility));

    [Fact]
    public void IsNormalized_NeverSaysYesWrongly()
    {
        foreach (var (source, nfc, nfkc) in Vectors.Value)
        {
            if (UnicodeNormalizer.IsNormalized(source, compatibility: false))
            {
                Assert.Equal(nfc, source);
            }

            if (UnicodeNormalizer.IsNormalized(source, compatibility: true))
            {
                Assert.Equal(nfkc, source);
            }
        }
    }

    [Fact]
    public void Normalize_LongText_GrowsItsBuffers()
    {
        var input = string.Concat(Enumerable.Repeat("\uFDFA", 500));
        var output = Normalize(input, compatibility: true);
        Assert.Equal(18 * 500, output.Length);
    }

    private static void Check(string source, string expected, bool compatibility, List<string> failures)
    {
        var actual = Normalize(source, compatibility);
        if (actual != expected)
        {
            failures.Add($"{(compatibility ? "NFKC" : "NFC")}({Hex(source)}) = {Hex(actual)}, expected {Hex(expected)}");
        }
    }

    private static string Decode(string field)
    {
        var builder = new StringBuilder();
        foreach (var hex in field.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            builder.Append(char.ConvertFromUtf32(int.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
        }

        return builder.ToString();
    }

    private static string Hex(string text) =>
        string.Join(' ', text.EnumerateRunes().Select(r => r.Value.ToString("X4", CultureInfo.InvariantCulture)));
}
