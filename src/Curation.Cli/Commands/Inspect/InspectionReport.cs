using System.Globalization;
using System.Text;
using Curation.Core.Config;

namespace Curation.Cli.Commands.Inspect;

/// <summary>Formats a <see cref="FileInspection"/> as the plain text <c>curate inspect</c> prints.</summary>
internal static class InspectionReport
{
    private const int BarWidth = 40;

    public static string Format(FileInspection inspection, int examplesPerRule)
    {
        var text = new StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        text.AppendLine(culture, $"file:     {inspection.File} ({inspection.Bytes:N0} bytes)");
        text.AppendLine(culture, $"format:   {(inspection.RequestedFormat == Core.Records.InputFormat.Auto ? "auto-detected per record" : ConfigNames.ForEnumValue(inspection.RequestedFormat))}");
        text.AppendLine(culture, $"items:    {inspection.Items:N0} ({inspection.Records:N0} records, {inspection.Items - inspection.Records:N0} rejected)");
        AppendCounts(text, "formats:", inspection.Formats);
        AppendCounts(text, "roles:", inspection.Roles);
        text.AppendLine("turns per record:");
        foreach (var (turns, count) in inspection.Turns)
        {
            text.AppendLine(culture, $"  {turns,4}  {count,10:N0}");
        }

        text.AppendLine("content length (characters):");
        var max = Math.Max(1, inspection.LengthHistogram.Max());
        for (var i = 0; i < inspection.LengthHistogram.Length; i++)
        {
            var low = i == 0 ? 0 : FileInspection.LengthBuckets[i - 1];
            var label = i < FileInspection.LengthBuckets.Length
                ? string.Create(culture, $"{low}-{FileInspection.LengthBuckets[i] - 1}")
                : string.Create(culture, $">= {low}");
            var count = inspection.LengthHistogram[i];
            text.AppendLine(culture, $"  {label,-12} {count,10:N0}  {new string('#', (int)Math.Ceiling(count * (double)BarWidth / max))}");
        }

        if (inspection.Rejects.Count == 0)
        {
            text.AppendLine("rejects:  none");
            return text.ToString();
        }

        text.AppendLine("rejects:");
        foreach (var (rule, rejects) in inspection.Rejects)
        {
            text.AppendLine(culture, $"  {rule,-20} {rejects.Count,10:N0}");
            foreach (var reject in rejects.Take(examplesPerRule))
            {
                text.AppendLine(culture, $"    {reject.Source}: {reject.Detail}");
            }
        }

        return text.ToString();
    }

    private static void AppendCounts(StringBuilder text, string title, SortedDictionary<string, long> counts)
    {
        text.Append(title.PadRight(10));
        text.AppendLine(counts.Count == 0 ? "none" : string.Join(", ", counts.Select(pair => string.Create(CultureInfo.InvariantCulture, $"{pair.Key} {pair.Value:N0}"))));
    }
}
