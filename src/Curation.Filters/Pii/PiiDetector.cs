using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Curation.Filters.Pii;

/// <summary>
/// Finds one kind of personal data or secret: a pattern, then a validator where the format has one. A cheap check of
/// what every valid match needs (a character, a run of digits) skips the pattern on texts that cannot hold one (most
/// of them).
/// </summary>
public sealed partial class PiiDetector
{
    private const int LongestStackCopy = 128;

    private static readonly SearchValues<char> Digits = SearchValues.Create("0123456789");

    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789ABCDEFabcdef");

    // The literal start of every alternative of the API key pattern.
    private static readonly SearchValues<string> ApiKeyPrefixes = SearchValues.Create(
        ["AKIA", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "sk-", "xoxa-", "xoxb-", "xoxp-", "xoxr-", "xoxs-", "AIza", "sk_", "pk_", "rk_", "hf_"],
        StringComparison.Ordinal);

    private readonly Regex _pattern;
    private readonly MayHold _mayHold;
    private readonly Func<ReadOnlySpan<char>, bool> _isValid;

    private PiiDetector(PiiKind kind, Regex pattern, MayHold mayHold, Func<ReadOnlySpan<char>, bool>? isValid = null)
    {
        Kind = kind;
        _pattern = pattern;
        _mayHold = mayHold;
        _isValid = isValid ?? (_ => true);
    }

    public PiiKind Kind { get; }

    /// <summary>Whether <paramref name="text"/>, whose digit runs are <paramref name="digits"/>, may hold a valid match.</summary>
    internal delegate bool MayHold(ReadOnlySpan<char> text, in DigitRuns digits);

    /// <summary>Every detector, in the order the stage applies them: the longest, most specific kinds first.</summary>
    public static IReadOnlyList<PiiDetector> All { get; } =
    [
        new(PiiKind.PrivateKey, PrivateKeyPattern(), (text, in _) => text.Contains("-----BEGIN ", StringComparison.Ordinal)),
        new(PiiKind.ApiKey, ApiKeyPattern(), (text, in _) => text.ContainsAny(ApiKeyPrefixes)),
        new(PiiKind.Email, EmailPattern(), (text, in _) => text.Contains('@')),
        new(PiiKind.Iban, IbanPattern(), (_, in digits) => digits.HasIbanStart, match => Compacted(match, Checksums.Iban)),
        new(PiiKind.CreditCard, CardPattern(), (text, in digits) => digits.IsAscii ? digits.LongestCardRun >= 13 : HasDigits(text, 13), IsCard),
        new(PiiKind.Ipv6, Ipv6Pattern(), (text, in _) => HasHexGroupBetweenColons(text), IsIpv6),
        new(PiiKind.Ipv4, Ipv4Pattern(), (text, in digits) => digits.IsAscii ? digits.MostDottedGroups >= 4 : HasDotBetweenDigits(text)),
        new(
            PiiKind.Phone,
            PhonePattern(),
            (text, in digits) => digits.IsAscii ? digits.LongestPhoneRun >= 9 : HasDigits(text, 9),
            match => CountDigits(match) is >= 9 and <= 15 && !IsoDate().IsMatch(match)),
    ];

    /// <summary>Where <paramref name="text"/> holds this kind, as (start, length), in order.</summary>
    public IEnumerable<(int Start, int Length)> Find(string text)
    {
        var found = new List<(int Start, int Length)>();
        FindAll(text, found);
        return found;
    }

    /// <summary>Adds where <paramref name="text"/> holds this kind to <paramref name="found"/>, in order, allocating nothing when it holds none.</summary>
    public void FindAll(ReadOnlySpan<char> text, List<(int Start, int Length)> found) => FindAll(text, DigitRuns.Of(text), found);

    /// <summary>As <see cref="FindAll(ReadOnlySpan{char}, List{ValueTuple{int, int}})"/>, given the text's <see cref="DigitRuns"/>.</summary>
    internal void FindAll(ReadOnlySpan<char> text, in DigitRuns digits, List<(int Start, int Length)> found)
    {
        ArgumentNullException.ThrowIfNull(found);
        if (!_mayHold(text, digits))
        {
            return;
        }

        FindAllUnchecked(text, found);
    }

    /// <summary>Every valid match of the pattern, without the pre-check: what the pre-check must never change.</summary>
    internal void FindAllUnchecked(ReadOnlySpan<char> text, List<(int Start, int Length)> found)
    {
        foreach (var match in _pattern.EnumerateMatches(text))
        {
            if (_isValid(text.Slice(match.Index, match.Length)))
            {
                found.Add((match.Index, match.Length));
            }
        }
    }

    // The validators accept 13 to 19 ASCII digits for a card and 9 to 15 for a phone number (other scripts' digits,
    // which the patterns' \d also matches, never pass them).
    private static bool HasDigits(ReadOnlySpan<char> text, int count)
    {
        for (var found = 0; found < count; found++)
        {
            var digit = text.IndexOfAny(Digits);
            if (digit < 0)
            {
                return false;
            }

            text = text[(digit + 1)..];
        }

        return true;
    }

    private static int CountDigits(ReadOnlySpan<char> text)
    {
        var count = 0;
        foreach (var c in text)
        {
            count += char.IsAsciiDigit(c) ? 1 : 0;
        }

        return count;
    }

    // An IPv6 match starts with two groups of at most four hex digits each ending in ':'.
    private static bool HasHexGroupBetweenColons(ReadOnlySpan<char> text)
    {
        for (var colon = text.IndexOf(':'); colon >= 0;)
        {
            var after = text[(colon + 1)..];
            var hex = after.IndexOfAnyExcept(HexDigits);
            if (hex >= 0 && hex <= 4 && after[hex] == ':')
            {
                return true;
            }

            var next = after.IndexOf(':');
            colon = next < 0 ? -1 : colon + 1 + next;
        }

        return false;
    }

    // An IPv4 match holds digit '.' digit, where a digit is any the pattern's \d matches (every script's).
    private static bool HasDotBetweenDigits(ReadOnlySpan<char> text)
    {
        for (var dot = text.IndexOf('.'); dot >= 0;)
        {
            if (dot > 0 && dot + 1 < text.Length && char.IsDigit(text[dot - 1]) && char.IsDigit(text[dot + 1]))
            {
                return true;
            }

            var next = text[(dot + 1)..].IndexOf('.');
            dot = next < 0 ? -1 : dot + 1 + next;
        }

        return false;
    }

    private static bool IsIpv6(ReadOnlySpan<char> match) =>
        match.Count(':') >= 2 && IPAddress.TryParse(match, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6;

    /// <summary>Applies <paramref name="check"/> to the match without its whitespace and '-' separators.</summary>
    private static bool Compacted(ReadOnlySpan<char> match, Func<ReadOnlySpan<char>, bool> check)
    {
        var compact = match.Length <= LongestStackCopy ? stackalloc char[match.Length] : new char[match.Length];
        var length = 0;
        foreach (var c in match)
        {
            if (!char.IsWhiteSpace(c) && c != '-')
            {
                compact[length++] = c;
            }
        }

        return check(compact[..length]);
    }

    private static bool IsCard(ReadOnlySpan<char> match) => Compacted(match, IsCardNumber);

    // A Luhn-valid 13-19 digit number with a major network's prefix (Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay).
    private static bool IsCardNumber(ReadOnlySpan<char> digits)
    {
        if (digits.Length is < 13 or > 19 || !Checksums.Luhn(digits))
        {
            return false;
        }

        var two = int.Parse(digits[..2], System.Globalization.CultureInfo.InvariantCulture);
        var four = int.Parse(digits[..4], System.Globalization.CultureInfo.InvariantCulture);
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
