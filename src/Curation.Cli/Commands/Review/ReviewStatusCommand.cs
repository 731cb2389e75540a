using System.CommandLine;
using System.Globalization;
using Curation.Review.Decisions;

namespace Curation.Cli.Commands.Review;

/// <summary><c>curate review status</c>: what a review store holds, batch by batch.</summary>
internal static class ReviewStatusCommand
{
    public static Command Create()
    {
        var command = new Command("status", "Show a review store: each exported batch with how many of its records have a decision, and the verdicts.")
        {
            ReviewCommand.Store,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var writer = parseResult.InvocationConfiguration.Output;
            return await CommandErrors.ReportAsync(parseResult.InvocationConfiguration.Error, async () =>
            {
                var store = DecisionStore.Open(parseResult.GetRequiredValue(ReviewCommand.Store));
                var culture = CultureInfo.InvariantCulture;
                await writer.WriteLineAsync($"store {store.DisplayFolder}");
                foreach (var batch in store.Batches.Values)
                {
                    var decided = batch.RecordIds.Count(store.Decisions.ContainsKey);
                    await writer.WriteLineAsync(string.Create(
                        culture, $"batch {batch.Id}  {batch.Tool}  {batch.Kind.ToString().ToLowerInvariant()}  {decided} of {batch.RecordIds.Length} records decided  ({batch.Selection})"));
                }

                var decisions = store.Decisions.Values.ToList();
                await writer.WriteLineAsync(string.Create(
                    culture,
                    $"decisions: {decisions.Count} records: {decisions.Count(d => d.Verdict == Verdict.Accept)} accept ({decisions.Count(d => d.Corrects)} corrected), {decisions.Count(d => d.Verdict == Verdict.Reject)} reject; {store.ExportedIds.Count(id => !store.Decisions.ContainsKey(id))} exported records await a decision"));
                return ExitCodes.Ok;
            });
        });
        return command;
    }
}
