using System.CommandLine;
using System.Globalization;

namespace Curation.Cli.Commands.Eval;

/// <summary><c>curate eval runs</c>: every run in the store, newest last: status, arms, calls, cache hits and errors.</summary>
internal static class EvalRunsCommand
{
    public static Command Create()
    {
        var store = EvalCommand.Store();
        var eval = EvalCommand.EvalFile();
        var command = new Command("runs", "List the runs an eval store logged.") { store, eval };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            return await CommandErrors.ReportAsync(parseResult.InvocationConfiguration.Error, async () =>
            {
                using var opened = EvalStoreArguments.Open(parseResult, store, eval);
                await output.WriteLineAsync("run                         status       started (UTC)        calls  cached  errors  arms");
                foreach (var run in opened.Runs.ListRuns())
                {
                    var calls = opened.Runs.CallsOf(run.RunId);
                    await output.WriteLineAsync(string.Create(
                        CultureInfo.InvariantCulture,
                        $"{run.RunId,-27} {run.Status.ToString().ToLowerInvariant(),-12} {run.StartedAt:yyyy-MM-dd HH:mm:ss}  {calls.Count,5}  {calls.Count(call => call.CacheHit),6}  {calls.Count(call => call.Error is not null),6}  {string.Join(", ", run.Arms)}"));
                }

                return ExitCodes.Ok;
            });
        });
        return command;
    }
}
