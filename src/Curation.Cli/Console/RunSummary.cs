using System.Globalization;
using System.Text;
using Curation.Core.Runtime;

namespace Curation.Cli.Console;

/// <summary>The per-stage table printed after every run: input (+ restored) = kept + rejected, checked.</summary>
internal static class RunSummary
{
    private static readonly string[] Header = ["stage", "input", "kept", "rejected", "check", "rejects by rule"];

    public static string Format(RunResult result)
    {
        var culture = CultureInfo.InvariantCulture;
        var rows = new List<string[]> { Header };
        foreach (var stage in result.Stats.Stages)
        {
            var rules = string.Join(", ", stage.RejectsByRule.Select(r => string.Create(culture, $"{r.Key} {r.Value}")));
            if (stage.Restored > 0)
            {
                rules = string.Create(culture, $"restored {stage.Restored} rejected earlier") + (rules.Length > 0 ? "; " + rules : string.Empty);
            }

            rows.Add(
            [
                stage.Stage,
                stage.Input.ToString(culture),
                stage.Kept.ToString(culture),
                stage.Rejected.ToString(culture),
                stage.Balances ? "ok" : result.Status == RunStatus.Completed ? "MISMATCH" : "stopped",
                rules,
            ]);
        }

        var widths = Enumerable.Range(0, 5).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            var line = new StringBuilder(row[0].PadRight(widths[0]));
            for (var c = 1; c < 4; c++)
            {
                line.Append("  ").Append(row[c].PadLeft(widths[c]));
            }

            line.Append("  ").Append(row[4].PadRight(widths[4])).Append("  ").Append(row[5]);
            text.AppendLine(line.ToString().TrimEnd());
        }

        foreach (var stage in result.Stats.Stages)
        {
            foreach (var note in stage.Notes)
            {
                text.Append(stage.Stage).Append(": ").AppendLine(note);
            }
        }

        return text.ToString();
    }
}
