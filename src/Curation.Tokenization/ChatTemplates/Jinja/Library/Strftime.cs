using System.Globalization;
using System.Text;
using Curation.Tokenization.ChatTemplates.Jinja.Runtime;

namespace Curation.Tokenization.ChatTemplates.Jinja.Library;

/// <summary>
/// Python's <c>datetime.strftime</c> in the C locale, with glibc's <c>%-d</c> (no padding) that templates such as
/// Llama 3.1's use; for <c>strftime_now</c>.
/// </summary>
internal static class Strftime
{
    private static readonly string[] Days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
    private static readonly string[] Months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    public static string Format(DateTime time, string format)
    {
        var text = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length)
            {
                text.Append(format[i]);
                continue;
            }

            var unpadded = format[i + 1] == '-' && i + 2 < format.Length;
            var directive = format[unpadded ? i + 2 : i + 1];
            i += unpadded ? 2 : 1;
            string Number(int value, int width) =>
                unpadded ? value.ToString(CultureInfo.InvariantCulture) : value.ToString(new string('0', width), CultureInfo.InvariantCulture);
            text.Append(directive switch
            {
                'a' => Days[(int)time.DayOfWeek][..3],
                'A' => Days[(int)time.DayOfWeek],
                'w' => ((int)time.DayOfWeek).ToString(CultureInfo.InvariantCulture),
                'd' => Number(time.Day, 2),
                'e' => time.Day.ToString(CultureInfo.InvariantCulture).PadLeft(unpadded ? 0 : 2),
                'b' or 'h' => Months[time.Month - 1][..3],
                'B' => Months[time.Month - 1],
                'm' => Number(time.Month, 2),
                'y' => Number(time.Year % 100, 2),
                'Y' => time.Year.ToString(CultureInfo.InvariantCulture),
                'H' => Number(time.Hour, 2),
                'I' => Number(time.Hour % 12 == 0 ? 12 : time.Hour % 12, 2),
                'p' => time.Hour < 12 ? "AM" : "PM",
                'M' => Number(time.Minute, 2),
                'S' => Number(time.Second, 2),
                'f' => (time.Ticks % TimeSpan.TicksPerSecond / 10).ToString("000000", CultureInfo.InvariantCulture),
                'j' => Number(time.DayOfYear, 3),
                'z' or 'Z' => string.Empty,
                'F' => time.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                'T' => time.ToString("HH:mm:ss", CultureInfo.InvariantCulture),
                'D' or 'x' => time.ToString("MM/dd/yy", CultureInfo.InvariantCulture),
                'X' => time.ToString("HH:mm:ss", CultureInfo.InvariantCulture),
                'c' => $"{Days[(int)time.DayOfWeek][..3]} {Months[time.Month - 1][..3]} {time.Day,2} {time:HH:mm:ss} {time.Year}",
                '%' => "%",
                _ => throw new TemplateRenderException($"strftime_now: directive '%{directive}' is not supported"),
            });
        }

        return text.ToString();
    }
}
