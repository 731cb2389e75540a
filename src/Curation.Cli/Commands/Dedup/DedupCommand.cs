using System.CommandLine;
using Curation.Cli.Commands.Run;
using Curation.Core.Config;
using Curation.Core.Units;
using Curation.Dedup.Near;
using Curation.Pipeline;

namespace Curation.Cli.Commands.Dedup;

/// <summary>
/// <c>curate dedup INPUT... -o OUT</c>: exact and near-duplicate removal without writing a pipeline file. It builds
/// the same stages a pipeline would (<c>exact-dedup</c>, <c>near-dedup</c>) and runs them like <c>curate run</c>.
/// </summary>
internal static class DedupCommand
{
    /// <summary>The settings of the pipeline this command writes, by the options that set them, for error messages.</summary>
    private static readonly Dictionary<string, string> OptionNames = new(StringComparer.Ordinal)
    {
        ["output.rejects"] = "--rejects",
        ["stage 'near-dedup': clusters"] = "--clusters",
        ["stage 'near-dedup': save_index"] = "--save-index",
        ["stage 'near-dedup': against"] = "--against",
        ["inputs["] = "input [",
    };

    public static Command Create()
    {
        var inputs = new Argument<string[]>("inputs") { Description = "Files, folders or globs to deduplicate, read in this order.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--output", "-o") { Description = "Output folder: data, rejects, manifest (and clusters).", Required = true };
        var threshold = new Option<double>("--threshold") { Description = "Jaccard similarity that counts as a near-duplicate.", DefaultValueFactory = _ => 0.8 };
        var numPerm = new Option<int>("--num-perm") { Description = "MinHash permutations.", DefaultValueFactory = _ => 128 };
        var ngram = new Option<int?>("--ngram") { Description = "Word n-gram size (default 5)." };
        var charNgram = new Option<int?>("--char-ngram") { Description = "Character n-gram size, instead of word n-grams." };
        var noVerify = new Option<bool>("--no-verify") { Description = "Count every LSH candidate pair as a duplicate without checking its exact Jaccard." };
        var keep = new Option<string>("--keep") { Description = "Which member of a cluster survives.", DefaultValueFactory = _ => "first" };
        keep.AcceptOnlyFromAmong([.. Enum.GetValues<KeepPolicy>().Select(value => ConfigNames.ForEnumValue(value))]);
        var keepField = new Option<string?>("--keep-field") { Description = "With --keep field: the numeric metadata field whose highest value wins." };
        var clusters = new Option<string?>("--clusters") { Description = "Also write every cluster with its members to this JSONL file (relative to the output folder)." };
        var saveIndex = new Option<string?>("--save-index") { Description = "Save an index of the kept records to this file (relative to the output folder), for a later --against." };
        var against = new Option<string?>("--against") { Description = "Drop only records that near-duplicate a record of this saved index (e.g. the evaluation set)." };
        var rejects = new Option<string?>("--rejects") { Description = "Rejects file (default rejects.jsonl in the output folder; relative paths are relative to it)." };
        var memoryBudget = new Option<string?>("--memory-budget") { Description = "Memory for LSH band keys (e.g. 2GB); beyond it, sorted runs go to $TMPDIR and are merged. Default: no limit." };
        var noExact = new Option<bool>("--no-exact") { Description = "Skip the exact-duplicate pass (near-duplicate removal finds exact copies too, more slowly)." };
        var command = new Command("dedup", "Remove exact and near-duplicates (MinHash-LSH, verified by exact Jaccard) from inputs, without a pipeline file.")
        {
            inputs, output, threshold, numPerm, ngram, charNgram, noVerify, keep, keepField, clusters, saveIndex, against, rejects, memoryBudget, noExact,
            CommonOptions.Workers, CommonOptions.Seed, CommonOptions.FailFast, CommonOptions.Verbose,
        };
        threshold.Validators.Add(result => { if (result.GetValueOrDefault<double>() is < 0.01 or > 1) { result.AddError("--threshold must be between 0.01 and 1"); } });
        numPerm.Validators.Add(result => { if (result.GetValueOrDefault<int>() is < 8 or > 1024) { result.AddError("--num-perm must be between 8 and 1024"); } });
        ngram.Validators.Add(result => { if (result.GetValueOrDefault<int?>() is < 1 or > 64) { result.AddError("--ngram must be between 1 and 64"); } });
        charNgram.Validators.Add(result => { if (result.GetValueOrDefault<int?>() is < 1 or > 64) { result.AddError("--char-ngram must be between 1 and 64"); } });
        memoryBudget.Validators.Add(result =>
        {
            if (!ByteSize.TryParse(result.GetValueOrDefault<string?>(), out _))
            {
                result.AddError($"--memory-budget must be a size such as {ByteSize.Examples}");
            }
        });
        command.Validators.Add(result =>
        {
            if (result.GetValue(ngram) is not null && result.GetValue(charNgram) is not null)
            {
                result.AddError("--ngram and --char-ngram exclude each other");
            }

            // Read the token, not the value: an unknown --keep value is already an error, and GetValue would throw.
            if (result.GetResult(keep)?.Tokens is [{ Value: "field" }, ..] && string.IsNullOrWhiteSpace(result.GetValue(keepField)))
            {
                result.AddError("--keep field needs --keep-field, the numeric metadata field to rank by");
            }
        });
        command.SetAction((parseResult, cancellationToken) =>
        {
            var yaml = new PipelineYaml("dedup")
                .Inputs(parseResult.GetRequiredValue(inputs))
                .Stage(parseResult.GetValue(noExact) ? null : "exact-dedup", [])
                .Stage("near-dedup", [
                    ("threshold", PipelineYaml.Number(parseResult.GetValue(threshold))),
                    ("num_perm", PipelineYaml.Number(parseResult.GetValue(numPerm))),
                    ("ngram", parseResult.GetValue(ngram) is { } n ? PipelineYaml.Number(n) : null),
                    ("char_ngram", parseResult.GetValue(charNgram) is { } c ? PipelineYaml.Number(c) : null),
                    ("verify", parseResult.GetValue(noVerify) ? "false" : null),
                    ("keep", parseResult.GetValue(keep)),
                    ("keep_field", parseResult.GetValue(keepField) is { } field ? PipelineYaml.Quote(field) : null),
                    ("clusters", parseResult.GetValue(clusters) is { } file ? PipelineYaml.Quote(file) : null),
                    ("save_index", parseResult.GetValue(saveIndex) is { } index ? PipelineYaml.Quote(index) : null),
                    ("against", parseResult.GetValue(against) is { } indexed ? PipelineYaml.Quote(Path.GetFullPath(indexed)) : null),
                    ("memory_budget", parseResult.GetValue(memoryBudget) is { } budget ? PipelineYaml.Quote(budget) : null),
                ])
                .Output(parseResult.GetRequiredValue(output), parseResult.GetValue(rejects))
                .ToString();
            var request = new RunRequest(
                "curate dedup",
                parseResult.GetRequiredValue(output),
                parseResult.GetValue(CommonOptions.Workers),
                parseResult.GetValue(CommonOptions.Seed),
                parseResult.GetValue(CommonOptions.FailFast),
                parseResult.GetValue(CommonOptions.Verbose));
            return new RunHandler(parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error).RunAsync(
                () => PipelineFactory.Prepare(
                    new PipelineSource(yaml, "curate dedup", Environment.CurrentDirectory), StageCatalog.Create(), request.OutputDirectory, request.Seed, OptionNames),
                request,
                cancellationToken);
        });
        return command;
    }
}
