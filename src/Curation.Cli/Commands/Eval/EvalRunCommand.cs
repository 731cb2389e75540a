using System.CommandLine;
using System.Globalization;
using Curation.Cli.Console;
using Curation.Evaluation.Reports;
using Curation.Evaluation.Runs;

namespace Curation.Cli.Commands.Eval;

/// <summary>
/// <c>curate eval run evals/X.yaml</c>: asks every arm every golden item (from the cache where it can), scores the
/// answers, writes report.md, report.html and results.jsonl, and checks the gates: exit 5 names a failed gate.
/// </summary>
internal static class EvalRunCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("eval") { Description = "The eval file (evals/X.yaml): golden set, arms, metrics, gates, output." };
        var gates = new Option<string[]>("--gate") { Description = "A gate to check besides the file's, e.g. \"finetuned.exact_match >= base.exact_match.upper\"; may be given several times.", AllowMultipleArgumentsPerToken = false };
        var noCache = new Option<bool>("--no-cache") { Description = "Make every call, and store no answer." };
        var refresh = new Option<bool>("--refresh") { Description = "Make every call again and replace what the cache held." };
        var command = new Command("run", "Run an eval: every arm on the golden set, scored, reported and gated.") { file, gates, noCache, refresh };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            return await CommandErrors.ReportAsync(error, async () =>
            {
                var definition = EvalHarness.Load(parseResult.GetRequiredValue(file), parseResult.GetValue(gates) ?? []);
                var options = new EvalRunOptions(!parseResult.GetValue(noCache), parseResult.GetValue(refresh), parseResult.GetValue(gates) ?? []);
                var live = LiveProgress.IsTerminal ? new EvalLiveProgress() : null;
                var harness = new EvalHarness(definition, options, TimeProvider.System, live as IEvalProgress ?? new EvalLogProgress(error, TimeProvider.System));
                var outcome = live is null ? await harness.RunAsync(cancellationToken) : await live.RunAsync(() => harness.RunAsync(cancellationToken));
                if (outcome.Interrupted)
                {
                    await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"curate eval: interrupted; {outcome.CallsMade} answered calls kept in {outcome.StorePath}: run again to continue where this run stopped"));
                    return ExitCodes.Interrupted;
                }

                var report = outcome.Report!;
                await output.WriteAsync(ConsoleSummary.Render(report));
                foreach (var path in outcome.Written)
                {
                    await output.WriteLineAsync($"wrote {path}");
                }

                foreach (var arm in report.Arms.Where(arm => arm.Calls > 0 && arm.ErrorCount == arm.Calls))
                {
                    await error.WriteLineAsync($"curate eval: arm '{arm.Name}': every call failed ({Figures.Errors(arm)}); is its endpoint up and its model name right?");
                }

                var failed = report.Gates.Where(gate => !gate.Passed).ToArray();
                foreach (var gate in failed)
                {
                    await error.WriteLineAsync($"curate eval: gate failed: {gate.Gate} ({gate.Detail})");
                }

                return failed.Length > 0 ? ExitCodes.GateFailed : ExitCodes.Ok;
            });
        });
        return command;
    }
}
