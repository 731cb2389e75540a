using Curation.Filters.Pii;

namespace Curation.Filters.Tests.Pii;

/// <summary>
/// Each detector skips texts that lack a character its matches need; these cases sit at the edge of those checks
/// (other scripts' digits, which the patterns' \d matches, separators, short runs). The expectations are what the
/// detectors found before the checks were added.
/// </summary>
public class PiiPrefilterTests
{
    public static TheoryData<PiiKind, string, string[]> Cases() => new()
    {
        { PiiKind.Ipv4, "at ١.٢.٣.٤ today", ["١.٢.٣.٤"] },
        { PiiKind.Ipv4, "at 10.0.0.1 today", ["10.0.0.1"] },
        { PiiKind.Ipv4, "version 1. 2. 3. 4", [] },
        { PiiKind.Ipv6, "host fe80::1 up", ["fe80::1"] },
        { PiiKind.Ipv6, "ratio 1:2:3 and 12345:6789:1", [] },
        { PiiKind.Ipv6, "::", ["::"] },
        { PiiKind.CreditCard, "card 4111 1111 1111 1111 ok", ["4111 1111 1111 1111"] },
        { PiiKind.CreditCard, "card ٤١١١١١١١١١١١١١١١ no", [] },
        { PiiKind.CreditCard, "twelve 411111111111 only", [] },
        { PiiKind.Phone, "call +1 415 555 0100 now", ["+1 415 555 0100"] },
        { PiiKind.Phone, "call ١٢٣ ٤٥٦ ٧٨٩٠ now", [] },
        { PiiKind.Phone, "call +1 (415) 555-0100", ["+1 (415) 555-0100"] },
        { PiiKind.Phone, "café: 415.555.0100", ["415.555.0100"] },
        { PiiKind.CreditCard, "card 4111-1111-1111-1111", ["4111-1111-1111-1111"] },
        { PiiKind.CreditCard, "carte 4111 1111 1111 1111 é", ["4111 1111 1111 1111"] },
        { PiiKind.Ipv4, "host 10.0.0.1", ["10.0.0.1"] },
        { PiiKind.Ipv4, "hôte 10.0.0.1", ["10.0.0.1"] },
        { PiiKind.Iban, "iban GB82 WEST 1234 5698 7654 32 ok", ["GB82 WEST 1234 5698 7654 32"] },
        { PiiKind.Iban, "iban GB٨٢WEST12345698765432", [] },
        { PiiKind.ApiKey, "key AKIAIOSFODNN7EXAMPLE here", ["AKIAIOSFODNN7EXAMPLE"] },
        { PiiKind.ApiKey, "token hf_abcdefghijklmnopqrstuvwxyz0123456789", ["hf_abcdefghijklmnopqrstuvwxyz0123456789"] },
        { PiiKind.Email, "mail a.b@example.org", ["a.b@example.org"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void FindsWhatThePatternAndValidatorFind(PiiKind kind, string text, string[] expected)
    {
        var detector = PiiDetector.All.Single(d => d.Kind == kind);

        Assert.Equal(expected, detector.Find(text).Select(span => text.Substring(span.Start, span.Length)));
    }

    [Theory]
    [InlineData("no digits at all", true, 0, 0, 0, false)]
    [InlineData("4111 1111-1111 1111", true, 16, 16, 1, false)]
    [InlineData("4111  1111", true, 4, 8, 1, false)]
    [InlineData("+1 (415) 555-0100", true, 7, 11, 1, false)]
    [InlineData("at 10.0.0.1, 1.2", true, 2, 5, 4, false)]
    [InlineData("GB82 WEST", true, 2, 2, 1, true)]
    [InlineData("G82 and gb82", true, 2, 2, 1, false)]
    [InlineData("é 12", false, 2, 2, 1, false)]
    public void DigitRuns_MeasureTheRunsThatJoinDigits(string text, bool ascii, int card, int phone, int dottedGroups, bool ibanStart)
    {
        Assert.Equal(new DigitRuns(ascii, card, phone, dottedGroups, ibanStart), DigitRuns.Of(text));
    }

    /// <summary>
    /// Texts built from the pieces that sit at the checks' edges (numbers with every separator, valid cards, phones,
    /// addresses and IBANs, other scripts' digits, capitals): each detector must find with its check exactly what its
    /// pattern and validator find without it.
    /// </summary>
    [Fact]
    public void TheChecksNeverChangeWhatIsFound()
    {
        string[] pieces =
        [
            "4111 1111 1111 1111", "5500-0000-0000-0004", "378282246310005", "4111 1111 1111 111", "+1 (415) 555-0100", "+44 20 7946 0958",
            "555-123-4567", "415.555.0100", "(020) 7946 0958", "10.0.0.1", "192.168.1.20", "1.2.3", "999.1.1.1", "GB82 WEST 1234 5698 7654 32",
            "DE89370400440532013000", "FR14 2004 1010 0505 0001 3M02 606", "fe80::1", "2001:db8::1", "12:30", "2024-01-15", "١٢٣", "٤", "é", "AB", "x", " ", "-", ".", "(", ")", "+", ":", "/", "\n",
        ];
        var random = new Random(14);
        var found = new Dictionary<PiiKind, int>();
        for (var round = 0; round < 4000; round++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(1, 12)).Select(_ => random.Next(3) == 0
                ? random.Next(0, 100_000).ToString(System.Globalization.CultureInfo.InvariantCulture)
                : pieces[random.Next(pieces.Length)]));
            foreach (var detector in PiiDetector.All)
            {
                var unchecked_ = new List<(int Start, int Length)>();
                detector.FindAllUnchecked(text, unchecked_);
                Assert.True(unchecked_.SequenceEqual(detector.Find(text)), $"{detector.Kind} in \"{text}\"");
                found[detector.Kind] = found.GetValueOrDefault(detector.Kind) + (unchecked_.Count > 0 ? 1 : 0);
            }
        }

        // The texts must reach every digit-based kind often, or the comparison proves little.
        Assert.All(new[] { PiiKind.CreditCard, PiiKind.Phone, PiiKind.Ipv4, PiiKind.Iban, PiiKind.Ipv6 }, kind => Assert.True(found[kind] > 100, $"{kind}: {found[kind]}"));
    }
}
