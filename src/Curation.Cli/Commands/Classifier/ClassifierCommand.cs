using System.CommandLine;
using System.Globalization;
using Curation.Classifier;
using Curation.Core;
using Curation.Core.Files;

namespace Curation.Cli.Commands.Classifier;

/// <summary><c>curate classifier train</c>: learns keep/drop from labelled records and saves a model for the <c>classifier</c> stage.</summary>
internal static class ClassifierCommand
{
    public static Command Create()
    {
        var inputs = new Argument<string[]>("inputs") { Description = "Labelled files, folders or globs (any input format).", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--output", "-o") { Description = "Model file to write (.zip).", Required = true };
        var labelField = new Option<string>("--label-field") { Description = "Top-level field holding keep/drop (or true/false, 1/0, accept/reject).", DefaultValueFactory = _ => "label" };
        var algorithm = new Option<string>("--algorithm") { Description = "linear (logistic regression) or fasttree (gradient-boosted trees).", DefaultValueFactory = _ => "linear" };
        algorithm.AcceptOnlyFromAmong("linear", "fasttree");
        var testFraction = new Option<double>("--test-fraction") { Description = "Share of records held out to measure the model.", DefaultValueFactory = _ => 0.2 };
        testFraction.Validators.Add(result => { if (result.GetValueOrDefault<double>() is <= 0 or >= 1) { result.AddError("--test-fraction must be between 0 and 1"); } });
        var seed = new Option<int>("--seed") { Description = "Seed of the split and the trainer.", DefaultValueFactory = _ => 1 };
        var train = new Command("train", "Learn keep/drop from labelled records; print AUC, precision and recall on a held-out split; save the model.")
        {
            inputs, output, labelField, algorithm, testFraction, seed,
        };
        train.SetAction(async (parseResult, cancellationToken) =>
        {
            var writer = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            return await CommandErrors.ReportAsync(error, async () =>
            {
                var examples = await LabelledRecords.ReadAsync(parseResult.GetRequiredValue(inputs), parseResult.GetRequiredValue(labelField), cancellationToken);
                var keep = examples.Count(e => e.Label);
                if (keep == 0 || keep == examples.Count)
                {
                    throw new CurationException($"{examples.Count} labelled records, {keep} keep and {examples.Count - keep} drop: training needs both");
                }

                var path = Path.GetFullPath(parseResult.GetRequiredValue(output));
                var realPath = RealPath.Of(path);
                if (parseResult.GetRequiredValue(inputs).FirstOrDefault(input => RealPath.IsInside(realPath, RealPath.Of(input))) is { } clash)
                {
                    throw new CurationException($"--output: {DisplayPath.For(path)} is or lies inside the input {clash}; the model would overwrite or join the records it learns from");
                }

                var report = QualityModel.Train(
                    examples,
                    parseResult.GetValue(algorithm) == "fasttree" ? ClassifierAlgorithm.FastTree : ClassifierAlgorithm.Linear,
                    parseResult.GetValue(testFraction),
                    parseResult.GetValue(seed),
                    path);
                await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{examples.Count} records ({keep} keep, {examples.Count - keep} drop): trained {report.Algorithm} on {report.TrainRows}, held out {report.TestRows}"));
                await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"held-out AUC {report.Auc:0.000}, precision {report.Precision:0.000}, recall {report.Recall:0.000}, F1 {report.F1:0.000}, accuracy {report.Accuracy:0.000} (keep is the positive class)"));
                await writer.WriteLineAsync($"model    {path}");
                return ExitCodes.Ok;
            });
        });
        return new Command("classifier", "Quality classifier: train one from labelled records (the 'classifier' stage scores with it).") { train };
    }
}
