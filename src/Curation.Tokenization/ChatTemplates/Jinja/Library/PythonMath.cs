using System.Globalization;
using System.Numerics;

namespace Curation.Tokenization.ChatTemplates.Jinja.Library;

/// <summary>Python's <c>round(x, n)</c> on floats: exact, halves to even, as <c>|round</c> gives it.</summary>
internal static class PythonMath
{
    public static double Round(double value, long digits)
    {
        // Past a double's 1075 decimal places rounding changes nothing; above 10^400 every double rounds to zero.
        if (double.IsNaN(value) || double.IsInfinity(value) || value == 0 || digits > 1100)
        {
            return value;
        }

        if (digits < -400)
        {
            return double.IsNegative(value) ? -0.0 : 0.0;
        }

        // value = mantissa * 2^exponent exactly; scale by 10^digits as a fraction and round that.
        var bits = BitConverter.DoubleToInt64Bits(value);
        var negative = bits < 0;
        var rawExponent = (int)((bits >> 52) & 0x7FF);
        var mantissa = bits & 0xFFFFFFFFFFFFFL;
        if (rawExponent == 0)
        {
            rawExponent = 1;
        }
        else
        {
            mantissa |= 1L << 52;
        }

        var exponent = rawExponent - 1075;
        BigInteger numerator = mantissa;
        BigInteger denominator = BigInteger.One;
        if (exponent > 0)
        {
            numerator <<= exponent;
        }
        else
        {
            denominator <<= -exponent;
        }

        if (digits >= 0)
        {
            numerator *= BigInteger.Pow(10, (int)digits);
        }
        else
        {
            denominator *= BigInteger.Pow(10, (int)-digits);
        }

        var quotient = BigInteger.DivRem(numerator, denominator, out var remainder);
        var twice = remainder * 2;
        if (twice > denominator || (twice == denominator && !quotient.IsEven))
        {
            quotient += 1;
        }

        var text = quotient.ToString(CultureInfo.InvariantCulture) + "e" + (-digits).ToString(CultureInfo.InvariantCulture);
        var rounded = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        return negative ? -rounded : rounded;
    }
}
