using System.Globalization;

namespace Curation.DataGen.Text;

/// <summary>Culture-free formatting helpers for generated prose.</summary>
internal static class Fmt
{
    private static readonly DateOnly Epoch = new(2023, 1, 2);

    public static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string I(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A number with up to <paramref name="decimals"/> decimals, trailing zeros dropped.</summary>
    public static string D(decimal value, int decimals = 2) =>
        Math.Round(value, decimals, MidpointRounding.AwayFromZero).ToString("0.##########", CultureInfo.InvariantCulture);

    /// <summary>Money with exactly two decimals and thousands separators.</summary>
    public static string Money(decimal value, string symbol = "$") =>
        symbol + Math.Round(value, 2, MidpointRounding.AwayFromZero).ToString("N2", CultureInfo.InvariantCulture);

    public static DateOnly Day(int offset) => Epoch.AddDays(offset);

    /// <summary>Like <see cref="Day"/>, moved forward to Monday when it falls on a weekend.</summary>
    public static DateOnly WorkDay(int offset)
    {
        var day = Epoch.AddDays(offset);
        return day.DayOfWeek switch
        {
            DayOfWeek.Saturday => day.AddDays(2),
            DayOfWeek.Sunday => day.AddDays(1),
            _ => day,
        };
    }

    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Long(DateOnly date) => date.ToString("MMMM d, yyyy", CultureInfo.InvariantCulture);

    public static string Short(DateOnly date) => date.ToString("MMM d", CultureInfo.InvariantCulture);

    public static string Weekday(DateOnly date) => date.DayOfWeek.ToString();

    public static string Plural(long count, string singular, string? plural = null) =>
        I(count) + " " + (count == 1 ? singular : plural ?? singular + "s");

    public static string Clock(int minutesSinceMidnight) =>
        I(minutesSinceMidnight / 60 % 24).PadLeft(2, '0') + ":" + I(minutesSinceMidnight % 60).PadLeft(2, '0');

    /// <summary>12-hour time, e.g. 9:05 AM.</summary>
    public static string Clock12(int minutesSinceMidnight)
    {
        var hours = minutesSinceMidnight / 60 % 24;
        var minutes = minutesSinceMidnight % 60;
        var suffix = hours < 12 ? "AM" : "PM";
        var h12 = hours % 12 == 0 ? 12 : hours % 12;
        return I(h12) + ":" + I(minutes).PadLeft(2, '0') + " " + suffix;
    }

    public static string JoinAnd(IReadOnlyList<string> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return items.Count switch
        {
            0 => string.Empty,
            1 => items[0],
            2 => items[0] + " and " + items[1],
            _ => string.Join(", ", items.Take(items.Count - 1)) + ", and " + items[^1],
        };
    }

    /// <summary>An order or ticket reference like <c>NW-48213</c>: short enough never to look like a phone number.</summary>
    public static string Reference(DeterministicRandom rng, string prefix)
    {
        ArgumentNullException.ThrowIfNull(rng);
        return prefix + "-" + I(rng.Between(10000, 99999));
    }

    /// <summary>Lower-cases the first letter so the text can follow a lead-in, unless it starts with "I" or an acronym.</summary>
    public static string LowerFirst(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length < 2 || !char.IsUpper(text[0]) || char.IsUpper(text[1]) || text.StartsWith("I ", StringComparison.Ordinal) || text.StartsWith("I'", StringComparison.Ordinal))
        {
            return text;
        }

        return char.ToLowerInvariant(text[0]) + text[1..];
    }

    public static string Capitalize(string text) =>
        string.IsNullOrEmpty(text) ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
