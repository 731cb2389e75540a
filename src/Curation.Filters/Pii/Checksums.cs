
namespace Curation.Filters.Pii;

/// <summary>The check digits that tell a real card or account number from a random run of digits.</summary>
public static class Checksums
{
    /// <summary>The Luhn (mod 10) check of payment card numbers.</summary>
    public static bool Luhn(ReadOnlySpan<char> digits)
    {
        var sum = 0;
        var doubled = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var digit = digits[i] - '0';
            if (digit is < 0 or > 9)
            {
                return false;
            }

            if (doubled)
            {
                digit *= 2;
                digit -= digit > 9 ? 9 : 0;
            }

            sum += digit;
            doubled = !doubled;
        }

        return digits.Length > 0 && sum % 10 == 0;
    }

    /// <summary>The ISO 13616 IBAN check: country code and check digits moved to the end, letters as 10-35, mod 97 = 1.</summary>
    public static bool Iban(ReadOnlySpan<char> compact)
    {
        if (compact.Length is < 15 or > 34)
        {
            return false;
        }

        var remainder = 0;
        for (var i = 0; i < compact.Length; i++)
        {
            var c = char.ToUpperInvariant(compact[(i + 4) % compact.Length]);
            if (char.IsAsciiDigit(c))
            {
                remainder = ((remainder * 10) + (c - '0')) % 97;
            }
            else if (char.IsAsciiLetterUpper(c))
            {
                remainder = ((remainder * 100) + (c - 'A' + 10)) % 97;
            }
            else
            {
                return false;
            }
        }

        return remainder == 1;
    }
}
