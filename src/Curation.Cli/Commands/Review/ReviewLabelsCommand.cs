using System.CommandLine;
using System.Globalization;
using Curation.Review.Apply;
using Curation.Review.Decisions;
using Curation.Review.Queue;

namespace Curation.Cli.Commands.Review;

/// <summary><c>curate review labels RUN_DIR -o FILE</c>: reviewers' decisions as keep/drop records for <c>curate classifier train</c>.</summary>
internal static class ReviewLabelsCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "Output folder of a finished 'curate run': the records the decisions are about." };
        var output = new Option<string>("--output", "-o") { Description = "Labelled JSONL to write: {id, messages, label: keep|drop}.", Required = true };
        var command = new Command("labels", "Write the reviewed records of a run with keep/drop labels (corrected text where corrected), to train the quality classifier.")
        {
            run, output, ReviewCommand.Store,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var writer = parseResult.InvocationConfiguration.Output;
            return await CommandErrors.ReportAsync(parseResult.InvocationConfiguration.Error, async () =>
            {
                var path = Path.GetFullPath(parseResult.GetRequiredValue(output));
                var counts = await ReviewLabels.WriteAsync(
                    RunOutput.Open(parseResult.GetRequiredValue(run)), DecisionStore.Open(parseResult.GetRequiredValue(ReviewCommand.Store)), path, cancellationToken);
                await writer.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{counts.Keep + counts.Drop} labelled records ({counts.Keep} keep, {counts.Drop} drop){(counts.Missing > 0 ? $"; {counts.Missing} decisions are about records not in this run" : string.Empty)}"));
                await writer.WriteLineAsync($"wrote    {Curation.Core.Files.DisplayPath.For(path)}");
                await writer.WriteLineAsync($"train:   curate classifier train {path} -o quality-model.zip");
                return ExitCodes.Ok;
            });
        });
        return command;
    }
}
