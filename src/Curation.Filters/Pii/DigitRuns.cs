using System.Buffers;
using System.Text;

namespace Curation.Filters.Pii;

/// <summary>
/// What the pre-checks of the digit-based detectors need to know of a text, found in one pass over its runs of ASCII
/// digits: how long a run of digits joined by a card's or a phone number's separators gets, how many digit groups
/// single dots join, and whether two capital letters precede two digits (an IBAN's start).
/// </summary>
/// <remarks>
/// The runs are exact bounds only for ASCII text: the patterns' \d also matches other scripts' digits, which could join
/// runs this does not see. For text with any other character, <see cref="IsAscii"/> is false and the detectors fall
/// back to coarser checks.
/// </remarks>
internal readonly record struct DigitRuns(bool IsAscii, int LongestCardRun, int LongestPhoneRun, int MostDottedGroups, bool HasIbanStart)
{
    private static readonly SearchValues<char> PhoneSeparators = SearchValues.Create(" .-()");

    public static DigitRuns Of(ReadOnlySpan<char> text)
    {
        int card = 0, phone = 0, groups = 0, longestCard = 0, longestPhone = 0, mostGroups = 0;
        var ibanStart = false;
        var previousEnd = -1;
        for (var start = text.IndexOfAnyInRange('0', '9'); start >= 0;)
        {
            var length = text[start..].IndexOfAnyExceptInRange('0', '9');
            var end = length < 0 ? text.Length : start + length;
            length = end - start;
            var between = previousEnd < 0 ? ReadOnlySpan<char>.Empty : text[previousEnd..start];

            // A card number's digits are joined by at most one space or hyphen; a phone number's by at most two of
            // " .-()" ("+1 (415) 555-0100"); an IPv4 address's groups by single dots.
            card = (between is [' ' or '-'] ? card : 0) + length;
            phone = (between.Length is 1 or 2 && !between.ContainsAnyExcept(PhoneSeparators) ? phone : 0) + length;
            groups = between is ['.'] ? groups + 1 : 1;
            longestCard = Math.Max(longestCard, card);
            longestPhone = Math.Max(longestPhone, phone);
            mostGroups = Math.Max(mostGroups, groups);
            ibanStart |= length >= 2 && start >= 2 && char.IsAsciiLetterUpper(text[start - 1]) && char.IsAsciiLetterUpper(text[start - 2]);

            previousEnd = end;
            var next = end < text.Length ? text[end..].IndexOfAnyInRange('0', '9') : -1;
            start = next < 0 ? -1 : end + next;
        }

        return new DigitRuns(Ascii.IsValid(text), longestCard, longestPhone, mostGroups, ibanStart);
    }
}
