using System.CommandLine;
using System.Globalization;
using Curation.Review.Apply;
using Curation.Review.Decisions;
using Curation.Review.Queue;

namespace Curation.Cli.Commands.Review;

/// <summary><c>curate review pairs RUN_DIR -o FILE</c>: reviewers' pairwise choices as prompt/chosen/rejected JSONL for DPO.</summary>
internal static class ReviewPairsCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "Output folder of a finished 'curate run': the records the preferences are about." };
        var output = new Option<string>("--output", "-o") { Description = "Preference JSONL to write: {prompt, chosen, rejected}, each a list of {role, content} (TRL's conversational preference format).", Required = true };
        var command = new Command("pairs", "Write reviewers' choices between paired records as preference pairs for DPO: the shared prompt, the chosen answer and the other one.")
        {
            run, output, ReviewCommand.Store,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var writer = parseResult.InvocationConfiguration.Output;
            return await CommandErrors.ReportAsync(parseResult.InvocationConfiguration.Error, async () =>
            {
                var path = Path.GetFullPath(parseResult.GetRequiredValue(output));
                var counts = await PreferencePairs.WriteAsync(
                    RunOutput.Open(parseResult.GetRequiredValue(run)), DecisionStore.Open(parseResult.GetRequiredValue(ReviewCommand.Store)), path, cancellationToken);
                var left = new List<string>();
                AddIf(left, counts.PromptsDiffer, "their records' prompts differ");
                AddIf(left, counts.NoAnswer, "a record has no assistant turn");
                AddIf(left, counts.Missing, "a record is not in this run");
                await writer.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{counts.Written} preference pairs{(left.Count > 0 ? $"; left out: {string.Join(", ", left)}" : string.Empty)}"));
                await writer.WriteLineAsync($"wrote    {Curation.Core.Files.DisplayPath.For(path)}");
                return ExitCodes.Ok;
            });
        });
        return command;
    }

    private static void AddIf(List<string> parts, int count, string why)
    {
        if (count > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{count} where {why}"));
        }
    }
}
