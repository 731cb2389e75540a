using Curation.Filters.Pii;

namespace Curation.Filters.Tests.Pii;

public class PiiDetectorTests
{
    private static PiiDetector Detector(PiiKind kind) => PiiDetector.All.Single(detector => detector.Kind == kind);

    private static string[] Found(PiiKind kind, string text) => [.. Detector(kind).Find(text).Select(span => text.Substring(span.Start, span.Length))];

    [Theory]
    [InlineData(PiiKind.Email, "write to jane.doe@example.com today", "jane.doe@example.com")]
    [InlineData(PiiKind.Email, "cc: a+tag@mail.sub.example.co.uk.", "a+tag@mail.sub.example.co.uk")]
    [InlineData(PiiKind.Phone, "call +1 (555) 123-4567 now", "+1 (555) 123-4567")]
    [InlineData(PiiKind.Phone, "office: 555-123-4567", "555-123-4567")]
    [InlineData(PiiKind.Phone, "London +44 20 7946 0958", "+44 20 7946 0958")]
    [InlineData(PiiKind.Ipv4, "server at 192.168.1.20:8080", "192.168.1.20")]
    [InlineData(PiiKind.Ipv4, "dns 8.8.8.8", "8.8.8.8")]
    [InlineData(PiiKind.Ipv6, "host 2001:db8::1 is up", "2001:db8::1")]
    [InlineData(PiiKind.Ipv6, "link fe80::1ff:fe23:4567:890a", "fe80::1ff:fe23:4567:890a")]
    [InlineData(PiiKind.CreditCard, "card 4111 1111 1111 1111 exp 12/29", "4111 1111 1111 1111")]
    [InlineData(PiiKind.CreditCard, "mc 5500-0000-0000-0004", "5500-0000-0000-0004")]
    [InlineData(PiiKind.CreditCard, "amex 378282246310005", "378282246310005")]
    [InlineData(PiiKind.Iban, "pay GB82 WEST 1234 5698 7654 32 please", "GB82 WEST 1234 5698 7654 32")]
    [InlineData(PiiKind.Iban, "IBAN DE89370400440532013000", "DE89370400440532013000")]
    [InlineData(PiiKind.ApiKey, "key AKIAIOSFODNN7EXAMPLE in env", "AKIAIOSFODNN7EXAMPLE")]
    [InlineData(PiiKind.ApiKey, "token ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789", "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789")]
    [InlineData(PiiKind.ApiKey, "OPENAI_API_KEY=sk-proj-abcdefghijklmnopqrstuvwx", "sk-proj-abcdefghijklmnopqrstuvwx")]
    [InlineData(PiiKind.ApiKey, "stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc", "sk_live_4eC39HqLyjWDarjtT1zdp7dc")]
    public void Catches(PiiKind kind, string text, string expected)
    {
        Assert.Equal([expected], Found(kind, text));
    }

    [Theory]
    [InlineData(PiiKind.Email, "ping user@localhost or @handle")]
    [InlineData(PiiKind.Phone, "released 2024-01-15, version 1.2.3, call 911")]
    [InlineData(PiiKind.Phone, "journalctl --since \"2024-05-01 10:00:00\" and 2024-05-01 1030 rows")]
    [InlineData(PiiKind.Ipv4, "999.1.1.1 and version 1.2.3.4.5 and 1.2.3")]
    [InlineData(PiiKind.Ipv6, "meet at 12:30:45, ratio 3:2, C++ std::vector")]
    [InlineData(PiiKind.CreditCard, "4111 1111 1111 1112 is Luhn-invalid")]
    [InlineData(PiiKind.CreditCard, "order 0000000000000000 has no card network")]
    [InlineData(PiiKind.Iban, "GB82 WEST 1234 5698 7654 33 fails the check")]
    [InlineData(PiiKind.ApiKey, "sk-short and AKIA-not-a-key")]
    [InlineData(PiiKind.PrivateKey, "-----BEGIN PUBLIC KEY-----\nMIIBIjAN\n-----END PUBLIC KEY-----")]
    public void LetsThrough(PiiKind kind, string text)
    {
        Assert.Empty(Found(kind, text));
    }

    [Fact]
    public void PrivateKey_WholeBlock_EvenWithoutItsEnd()
    {
        const string Block = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----";

        Assert.Equal([Block], Found(PiiKind.PrivateKey, "here: " + Block + " done"));
        Assert.Equal(["-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk"], Found(PiiKind.PrivateKey, "cut: -----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk"));
    }

    [Theory]
    [InlineData("4111111111111111", true)]
    [InlineData("4111111111111112", false)]
    [InlineData("79927398713", true)]
    [InlineData("79927398710", false)]
    public void Luhn(string digits, bool valid)
    {
        Assert.Equal(valid, Checksums.Luhn(digits));
    }

    [Theory]
    [InlineData("GB82WEST12345698765432", true)]
    [InlineData("GB82WEST12345698765433", false)]
    [InlineData("NL91ABNA0417164300", true)]
    [InlineData("NL91ABNA0417164301", false)]
    public void Iban(string iban, bool valid)
    {
        Assert.Equal(valid, Checksums.Iban(iban));
    }
}
