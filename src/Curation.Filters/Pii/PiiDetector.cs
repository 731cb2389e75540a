using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Curation.Filters.Pii;

/// <summary>Finds one kind of personal data or secret: a pattern, then a validator where the format has one.</summary>
public sealed partial class PiiDetector
{
    private readonly Regex _pattern;
    private readonly Func<string, bool> _isValid;

    private PiiDetector(PiiKind kind, Regex pattern, Func<string, bool>? isValid = null)
    {
        Kind = kind;
        _pattern = pattern;
        _isValid = isValid ?? (_ => true);
    }

    public PiiKind Kind { get; }

    /// <summary>Every detector, in the order the stage applies them: the longest, most specific kinds first.</summary>
    public static IReadOnlyList<PiiDetector> All { get; } =
    [
        new(PiiKind.PrivateKey, PrivateKeyPattern()),
        new(PiiKind.ApiKey, ApiKeyPattern()),
        new(PiiKind.Email, EmailPattern()),
        new(PiiKind.Iban, IbanPattern(), match => Checksums.Iban(Compact(match))),
        new(PiiKind.CreditCard, CardPattern(), IsCard),
        new(PiiKind.Ipv6, Ipv6Pattern(), match => match.Count(c => c == ':') >= 2 && IPAddress.TryParse(match, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6),
        new(PiiKind.Ipv4, Ipv4Pattern()),
        new(PiiKind.Phone, PhonePattern(), match => match.Count(char.IsAsciiDigit) is >= 9 and <= 15 && !IsoDate().IsMatch(match)),
    ];

    /// <summary>Where <paramref name="text"/> holds this kind, as (start, length), in order.</summary>
    public IEnumerable<(int Start, int Length)> Find(string text)
    {
        foreach (Match match in _pattern.Matches(text))
        {
            if (_isValid(match.Value))
            {
                yield return (match.Index, match.Length);
            }
        }
    }

    private static string Compact(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c) && c != '-'));

    // A Luhn-valid 13-19 digit number with a major network's prefix (Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay).
    private static bool IsCard(string match)
    {
        var digits = Compact(match);
        if (digits.Length is < 13 or > 19 || !Checksums.Luhn(digits))
        {
            return false;
        }

        var two = int.Parse(digits.AsSpan(0, 2), System.Globalization.CultureInfo.InvariantCulture);
        var four = int.Parse(digits.AsSpan(0, 4), System.Globalization.CultureInfo.InvariantCulture);
        return digits[0] == '4' || two is >= 51 and <= 55 || four is >= 2221 and <= 2720 || two is 34 or 37 || two is 36 or 38 or 30
            || four == 6011 || two is 64 or 65 || two == 35 || two == 62;
    }

    [GeneratedRegex(@"-----BEGIN (?:[A-Z]+ )*PRIVATE KEY(?: BLOCK)?-----(?:[\s\S]*?-----END (?:[A-Z]+ )*PRIVATE KEY(?: BLOCK)?-----|[\s\S]*)")]
    private static partial Regex PrivateKeyPattern();

    // AWS access keys, GitHub, OpenAI, Anthropic, Slack, Google, Stripe and Hugging Face tokens.
    [GeneratedRegex(@"\b(?:AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,}|sk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}|xox[abprs]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35}|(?:sk|pk|rk)_(?:live|test)_[0-9A-Za-z]{16,}|hf_[A-Za-z0-9]{30,})")]
    private static partial Regex ApiKeyPattern();

    [GeneratedRegex(@"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}\b")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b")]
    private static partial Regex IbanPattern();

    [GeneratedRegex(@"(?<![\d.-])\d(?:[ -]?\d){12,18}(?![\d-]|\.\d)")]
    private static partial Regex CardPattern();

    [GeneratedRegex(@"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{0,4}|(?:\d{1,3}\.){3}\d{1,3})(?![\w:])")]
    private static partial Regex Ipv6Pattern();

    [GeneratedRegex(@"(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\d]|\.\d)")]
    private static partial Regex Ipv4Pattern();

    // Followed by ':' is a time, not a phone number.
    [GeneratedRegex(@"(?<![\w+])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,4}(?:[ .-]\d{2,4}){1,4}(?![\w:]|\.\d)")]
    private static partial Regex PhonePattern();

    [GeneratedRegex(@"(?:^|\D)(?:19|20)\d\d[-./](?:0[1-9]|1[0-2])[-./](?:0[1-9]|[12]\d|3[01])")]
    private static partial Regex IsoDate();
}
