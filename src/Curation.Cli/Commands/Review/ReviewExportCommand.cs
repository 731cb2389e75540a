using System.CommandLine;
using System.Globalization;
using Curation.Core;
using Curation.Review;
using Curation.Review.Decisions;
using Curation.Review.Queue;

namespace Curation.Cli.Commands.Review;

/// <summary><c>curate review export RUN_DIR</c>: chooses records (or near-duplicate pairs) of a finished run and writes them for a review tool.</summary>
internal static class ReviewExportCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "Output folder of a finished 'curate run' (it holds manifest.json, the data and the rejects)." };
        var output = new Option<string>("--output", "-o") { Description = "Folder to write the export to.", Required = true };
        var tool = new Option<string>("--tool") { Description = "label-studio (tasks.json + labeling-config.xml) or argilla (a Dataset.to_disk folder).", DefaultValueFactory = _ => "label-studio" };
        tool.AcceptOnlyFromAmong("label-studio", "argilla");
        var random = new Option<int>("--random") { Description = "A seeded random sample of this many kept and rejected records." };
        var stratify = new Option<string>("--stratify") { Description = "Spread the random sample over input files (source) or over kept records and each stage's rejects (stage).", DefaultValueFactory = _ => "none" };
        stratify.AcceptOnlyFromAmong("none", "source", "stage");
        var scoreCut = new Option<double?>("--score-cut") { Description = "Records whose quality score lies within --score-margin of this cut." };
        var scoreMargin = new Option<double>("--score-margin") { Description = "How near the cut a score must be.", DefaultValueFactory = _ => 0.1 };
        var scoreSize = new Option<int>("--score-size") { Description = "At most this many records near the cut, closest first.", DefaultValueFactory = _ => 100 };
        var scoreField = new Option<string>("--score-field") { Description = "Metadata field holding the score.", DefaultValueFactory = _ => "quality_score" };
        var rules = new Option<string[]>("--rules") { Description = "Rejects of these rules or stages (comma-separated or repeated).", AllowMultipleArgumentsPerToken = true };
        var rulesSize = new Option<int>("--rules-size") { Description = "At most this many of those rejects (a seeded random choice).", DefaultValueFactory = _ => 100 };
        var pairs = new Option<bool>("--near-duplicate-pairs") { Description = "Export near-duplicate pairs whose Jaccard is near the threshold instead of single records (needs the run's clusters file)." };
        var threshold = new Option<double?>("--threshold") { Description = "With --near-duplicate-pairs: the Jaccard threshold (default: the run's near-dedup threshold)." };
        var margin = new Option<double>("--margin") { Description = "With --near-duplicate-pairs: how near the threshold a pair's Jaccard must be.", DefaultValueFactory = _ => 0.1 };
        var size = new Option<int>("--size") { Description = "With --near-duplicate-pairs: at most this many pairs, closest to the threshold first.", DefaultValueFactory = _ => 100 };
        var dataset = new Option<string?>("--dataset") { Description = "Dataset name for Argilla (default: the output folder's name)." };
        var command = new Command("export", "Choose records of a finished run for review and write them for Label Studio or Argilla; the batch is recorded in the store.")
        {
            run, output, ReviewCommand.Store, tool, random, stratify, scoreCut, scoreMargin, scoreSize, scoreField, rules, rulesSize, pairs, threshold, margin, size, dataset, CommonOptions.Seed,
        };
        command.Validators.Add(result =>
        {
            var chosen = result.GetValue(random) > 0 || result.GetValue(scoreCut) is not null || (result.GetValue(rules) ?? []).Length > 0;
            if (result.GetValue(pairs) ? chosen : !chosen)
            {
                result.AddError(result.GetValue(pairs)
                    ? "--near-duplicate-pairs exports pairs only: drop --random, --score-cut and --rules"
                    : "choose what to review: --random N, --score-cut X, --rules RULE or --near-duplicate-pairs");
            }
        });
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var writer = parseResult.InvocationConfiguration.Output;
            return await CommandErrors.ReportAsync(parseResult.InvocationConfiguration.Error, async () =>
            {
                var runOutput = RunOutput.Open(parseResult.GetRequiredValue(run));
                var store = DecisionStore.Open(parseResult.GetRequiredValue(ReviewCommand.Store));
                var reviewTool = parseResult.GetValue(tool) == "argilla" ? ReviewTool.Argilla : ReviewTool.LabelStudio;
                var seed = parseResult.GetValue(CommonOptions.Seed) ?? 0;
                ReviewQueue queue;
                if (parseResult.GetValue(pairs))
                {
                    var cut = parseResult.GetValue(threshold) ?? runOutput.NearDuplicateThreshold()
                        ?? throw new CurationException($"{runOutput.Folder}: the run has no near-dedup threshold in its manifest; give --threshold");
                    var selector = new NearDuplicatePairs(cut, parseResult.GetValue(margin), parseResult.GetValue(size), seed);
                    queue = ReviewQueue.ForPairs(reviewTool, selector.Describe(), await selector.SelectAsync(runOutput, cancellationToken));
                }
                else
                {
                    var options = new ReviewExportOptions
                    {
                        Random = parseResult.GetValue(random),
                        Stratify = Enum.Parse<Stratify>(parseResult.GetValue(stratify)!, ignoreCase: true),
                        ScoreCut = parseResult.GetValue(scoreCut),
                        ScoreMargin = parseResult.GetValue(scoreMargin),
                        ScoreSize = parseResult.GetValue(scoreSize),
                        ScoreField = parseResult.GetValue(scoreField)!,
                        Rules = [.. (parseResult.GetValue(rules) ?? []).SelectMany(r => r.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))],
                        RulesSize = parseResult.GetValue(rulesSize),
                    };
                    var selection = options.Selection(seed);
                    await foreach (var candidate in runOutput.ReadAsync(cancellationToken))
                    {
                        selection.Offer(candidate);
                    }

                    queue = ReviewQueue.ForRecords(reviewTool, selection.Describe(), selection.Items());
                }

                if (queue.Count == 0)
                {
                    await writer.WriteLineAsync($"nothing to review: no record matched ({queue.Batch.Selection}); nothing written");
                    return ExitCodes.Ok;
                }

                var folder = Path.GetFullPath(parseResult.GetRequiredValue(output));
                var files = ReviewExporter.WriteFolder(queue, reviewTool, folder, store, parseResult.GetValue(dataset) ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(folder)));
                await writer.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{queue.Count} {(queue.Batch.Kind == ReviewKind.Pairs ? "pairs" : "records")} for review ({queue.Batch.Selection}): batch {queue.Batch.Id}, recorded in {store.DisplayFolder}"));
                foreach (var file in files)
                {
                    await writer.WriteLineAsync($"wrote    {Curation.Core.Files.DisplayPath.For(file)}");
                }

                return ExitCodes.Ok;
            });
        });
        return command;
    }
}
