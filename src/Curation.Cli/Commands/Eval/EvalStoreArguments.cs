using System.CommandLine;
using Curation.Core;
using Curation.Evaluation.Runs;
using Curation.Evaluation.Store;

namespace Curation.Cli.Commands.Eval;

/// <summary>Opens the store <c>--store</c> names, or the one of the eval file <c>--eval</c> names; it must exist.</summary>
internal static class EvalStoreArguments
{
    public static EvalStore Open(ParseResult parseResult, Option<string?> store, Option<string?> eval)
    {
        var path = parseResult.GetValue(store)
            ?? (parseResult.GetValue(eval) is { } file ? EvalHarness.Load(file, []).StorePath : null)
            ?? throw new CurationException("give the eval store: --store out/eval/X/eval.db, or --eval evals/X.yaml");
        return File.Exists(path)
            ? EvalStore.Open(path, TimeProvider.System)
            : throw new CurationException($"{path}: no eval store there yet (curate eval run creates it)");
    }
}
