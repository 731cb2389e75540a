using System.CommandLine;
using System.Globalization;
using Curation.Core;
using Curation.Evaluation.Runs;
using Curation.Evaluation.Store;

namespace Curation.Cli.Commands.Eval;

/// <summary>
/// <c>curate eval diff A B</c>: two runs side by side: each arm's metrics (A, B and the change), errors, cost and
/// latency, and how many items got a different answer.
/// </summary>
internal static class EvalDiffCommand
{
    public static Command Create()
    {
        var first = new Argument<string>("run-a") { Description = "The earlier run's id (curate eval runs lists them)." };
        var second = new Argument<string>("run-b") { Description = "The later run's id." };
        var store = EvalCommand.Store();
        var eval = EvalCommand.EvalFile();
        var command = new Command("diff", "Compare two runs of an eval store: metrics, errors, cost, latency, changed answers.") { first, second, store, eval };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            return await CommandErrors.ReportAsync(parseResult.InvocationConfiguration.Error, async () =>
            {
                using var opened = EvalStoreArguments.Open(parseResult, store, eval);
                var a = FiguresOf(opened, parseResult.GetRequiredValue(first));
                var b = FiguresOf(opened, parseResult.GetRequiredValue(second));
                await output.WriteAsync(Render(a, b, opened));
                return ExitCodes.Ok;
            });
        });
        return command;
    }

    private static (string RunId, RunFigures Figures) FiguresOf(EvalStore store, string runId)
    {
        var json = store.Runs.SummaryOf(runId);
        if (json is null)
        {
            var known = store.Runs.ListRuns().Any(run => run.RunId == runId);
            throw new CurationException(known
                ? $"run {runId} did not complete: it has no figures to compare (run the eval again)"
                : $"no run {runId} in {store.Path}; curate eval runs lists them");
        }

        return (runId, RunSummaryJson.Parse(json)!);
    }

    private static string Render((string RunId, RunFigures Figures) a, (string RunId, RunFigures Figures) b, EvalStore store)
    {
        var text = new System.Text.StringBuilder();
        var invariant = CultureInfo.InvariantCulture;
        text.AppendLine(invariant, $"A = {a.RunId} ({a.Figures.Items} items, {a.Figures.Leaks} leaks), B = {b.RunId} ({b.Figures.Items} items, {b.Figures.Leaks} leaks)");
        text.AppendLine("arm              metric              A       B       B - A");
        var arms = a.Figures.Arms.Keys.Concat(b.Figures.Arms.Keys).Distinct().ToArray();
        foreach (var arm in arms)
        {
            var armA = a.Figures.Arms.GetValueOrDefault(arm);
            var armB = b.Figures.Arms.GetValueOrDefault(arm);
            var metrics = (armA?.Metrics.Keys.AsEnumerable() ?? []).Concat(armB?.Metrics.Keys.AsEnumerable() ?? []).Distinct();
            foreach (var metric in metrics)
            {
                var valueA = armA?.Metrics.GetValueOrDefault(metric)?[0];
                var valueB = armB?.Metrics.GetValueOrDefault(metric)?[0];
                var change = valueA is { } x && valueB is { } y ? (y - x).ToString("+0.000;-0.000;0.000", invariant) : "—";
                text.AppendLine(invariant, $"{arm,-16} {metric,-18} {Show(valueA),7} {Show(valueB),7} {change,8}");
            }

            text.AppendLine(invariant, $"{arm,-16} {"errors",-18} {armA?.Errors.ToString(invariant) ?? "—",7} {armB?.Errors.ToString(invariant) ?? "—",7}");
            text.AppendLine(invariant, $"{arm,-16} {"cost / 1k items",-18} {Show(armA?.CostPer1000Items, "0.0000"),7} {Show(armB?.CostPer1000Items, "0.0000"),7}");
            text.AppendLine(invariant, $"{arm,-16} {"p50 latency ms",-18} {Show(armA?.P50LatencyMs, "0"),7} {Show(armB?.P50LatencyMs, "0"),7}");
            text.AppendLine(invariant, $"{arm,-16} {"changed answers",-18} {ChangedAnswers(store, a.RunId, b.RunId, arm),7}");
        }

        return text.ToString();
    }

    private static string ChangedAnswers(EvalStore store, string a, string b, string arm)
    {
        var before = store.Runs.CallsOf(a).Where(call => call.Arm == arm).ToDictionary(call => (call.ItemId, call.Repeat), call => call.Text);
        var after = store.Runs.CallsOf(b).Where(call => call.Arm == arm).ToDictionary(call => (call.ItemId, call.Repeat), call => call.Text);
        var shared = before.Keys.Where(after.ContainsKey).ToArray();
        return string.Create(CultureInfo.InvariantCulture, $"{shared.Count(key => before[key] != after[key])}/{shared.Length}");
    }

    private static string Show(double? value, string format = "0.000") =>
        value?.ToString(format, CultureInfo.InvariantCulture) ?? "—";
}
