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
}
