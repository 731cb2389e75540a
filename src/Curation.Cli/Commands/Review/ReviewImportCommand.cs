using System.CommandLine;
using System.Globalization;
using Curation.Review;
using Curation.Review.Decisions;
using Curation.Review.Import;

namespace Curation.Cli.Commands.Review;

/// <summary><c>curate review import EXPORT...</c>: reads reviewers' decisions from Label Studio or Argilla exports into the store.</summary>
internal static class ReviewImportCommand
{
    public static Command Create()
    {
        var exports = new Argument<string[]>("exports")
        {
            Description = "Label Studio exports (JSON, JSON_MIN, CSV, TSV) or Argilla ones (records.json, a Dataset.to_disk folder, flattened rows as JSON/JSONL).",
            Arity = ArgumentArity.OneOrMore,
        };
        var tool = new Option<string>("--tool") { Description = "Which tool wrote the exports.", DefaultValueFactory = _ => "auto" };
        tool.AcceptOnlyFromAmong("auto", "label-studio", "argilla");
        var ties = new Option<string>("--ties") { Description = "How a tie between accept and reject votes is settled: reject, accept, or skip (stays unreviewed).", DefaultValueFactory = _ => "reject" };
        ties.AcceptOnlyFromAmong("reject", "accept", "skip");
        var idField = new Option<string?>("--id-field") { Description = "Task field holding the record id, for an export of a project 'curate review export' did not create (skips the batch checks)." };
        var decision = new Option<string>("--decision-question") { Description = "Question whose answer is accept or reject.", DefaultValueFactory = _ => "decision" };
        var accept = new Option<string[]>("--accept") { Description = "Answers of the decision question that mean accept.", DefaultValueFactory = _ => ["accept"], AllowMultipleArgumentsPerToken = true };
        var reject = new Option<string[]>("--reject") { Description = "Answers of the decision question that mean reject.", DefaultValueFactory = _ => ["reject"], AllowMultipleArgumentsPerToken = true };
        var rating = new Option<string>("--rating-question") { Description = "Question holding a 1-5 rating.", DefaultValueFactory = _ => "rating" };
        var correction = new Option<string>("--correction-question") { Description = "Question holding the corrected answer.", DefaultValueFactory = _ => "correction" };
        var reason = new Option<string>("--reason-question") { Description = "Question holding the reviewer's reason.", DefaultValueFactory = _ => "reason" };
        var chat = new Option<string?>("--chat-question") { Description = "Chat question whose messages replace the whole conversation." };
        var original = new Option<string>("--response-field") { Description = "Task field holding the answer the correction was pre-filled with.", DefaultValueFactory = _ => "response" };
        var pairwise = new Option<string>("--pairwise-question") { Description = "Pairwise question: which of two records shown side by side is better.", DefaultValueFactory = _ => "keep" };
        var leftIdField = new Option<string?>("--left-id-field") { Description = "Task field holding the id of the record on the left of a pair, for another project's export (skips the batch checks; default left_id)." };
        var rightIdField = new Option<string?>("--right-id-field") { Description = "Task field holding the id of the record on the right of a pair, for another project's export (skips the batch checks; default right_id)." };
        var leftValue = new Option<string>("--left-value") { Description = "Pairwise answer meaning left (Label Studio's leftChoiceValue).", DefaultValueFactory = _ => "left" };
        var rightValue = new Option<string>("--right-value") { Description = "Pairwise answer meaning right (Label Studio's rightChoiceValue).", DefaultValueFactory = _ => "right" };
        var pairwiseUse = new Option<string>("--pairwise") { Description = "keep: the chosen record is accepted and the other rejected; preference: both stay as they are. Either way the preference is stored for 'curate review pairs'.", DefaultValueFactory = _ => "keep" };
        pairwiseUse.AcceptOnlyFromAmong("keep", "preference");
        var dryRun = new Option<bool>("--dry-run") { Description = "Read and check the exports and print what would be stored, without storing it." };
        var command = new Command("import", "Read reviewers' decisions from Label Studio or Argilla exports: majority vote per record, agreement figures; store them for apply-review.")
        {
            exports, ReviewCommand.Store, tool, ties, idField, decision, accept, reject, rating, correction, reason, chat, original,
            pairwise, leftIdField, rightIdField, leftValue, rightValue, pairwiseUse, dryRun,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var writer = parseResult.InvocationConfiguration.Output;
            return await CommandErrors.ReportAsync(parseResult.InvocationConfiguration.Error, async () =>
            {
                var schema = new ReviewSchema
                {
                    IdField = parseResult.GetValue(idField) ?? "record_id",
                    Foreign = parseResult.GetValue(idField) is not null || parseResult.GetValue(leftIdField) is not null || parseResult.GetValue(rightIdField) is not null,
                    Decision = parseResult.GetValue(decision)!,
                    AcceptValues = [.. parseResult.GetValue(accept)!],
                    RejectValues = [.. parseResult.GetValue(reject)!],
                    Rating = parseResult.GetValue(rating)!,
                    Correction = parseResult.GetValue(correction)!,
                    Reason = parseResult.GetValue(reason)!,
                    Chat = parseResult.GetValue(chat),
                    OriginalResponseField = parseResult.GetValue(original)!,
                    Keep = parseResult.GetValue(pairwise)!,
                    LeftIdField = parseResult.GetValue(leftIdField) ?? ReviewFields.LeftId,
                    RightIdField = parseResult.GetValue(rightIdField) ?? ReviewFields.RightId,
                    LeftValue = parseResult.GetValue(leftValue)!,
                    RightValue = parseResult.GetValue(rightValue)!,
                    Pairwise = parseResult.GetValue(pairwiseUse) == "preference" ? PairwiseUse.Preference : PairwiseUse.Keep,
                    Ties = Enum.Parse<TieRule>(parseResult.GetValue(ties)!, ignoreCase: true),
                };
                var source = parseResult.GetValue(tool) switch
                {
                    "label-studio" => ExportSource.LabelStudio,
                    "argilla" => ExportSource.Argilla,
                    _ => ExportSource.Auto,
                };
                var storePath = parseResult.GetRequiredValue(ReviewCommand.Store);
                foreach (var export in parseResult.GetRequiredValue(exports))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var store = DecisionStore.Open(storePath);
                    if (parseResult.GetValue(dryRun))
                    {
                        var tasks = ReviewImporter.Read(export, source, schema);
                        var result = new DecisionBuilder(schema, store, ReviewImporter.ToolName(ReviewImporter.Resolve(export, source)), Path.GetFileName(export)).Build(tasks, cancellationToken);
                        await writer.WriteLineAsync($"{export} (dry run, nothing stored):");
                        await writer.WriteLineAsync(result.Report.ToString());
                        continue;
                    }

                    var (imported, update) = ReviewImporter.Import(export, source, schema, store, cancellationToken);
                    await writer.WriteLineAsync($"{export}:");
                    await writer.WriteLineAsync(imported.Report.ToString());
                    await writer.WriteLineAsync(string.Create(
                        CultureInfo.InvariantCulture,
                        $"stored in {store.DisplayFolder}: {update.Added} new, {update.Changed} changed, {update.Unchanged} unchanged; {store.Decisions.Count} records decided in all"));
                    if (update.Preferences is { } preferences)
                    {
                        await writer.WriteLineAsync(string.Create(
                            CultureInfo.InvariantCulture,
                            $"preferences: {preferences.Added} new, {preferences.Changed} changed, {preferences.Unchanged} unchanged; {store.Preferences.Count()} pairs in all"));
                    }
                }

                return ExitCodes.Ok;
            });
        });
        return command;
    }
}
