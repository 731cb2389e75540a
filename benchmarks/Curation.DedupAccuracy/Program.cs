using System.Diagnostics;
using System.Globalization;
using Curation.Dedup.MinHash;
using Curation.DedupAccuracy;

// Accuracy of near-duplicate detection on real prose with seeded near-copies; see benchmarks/dedup-accuracy.md.
//   dotnet run -c Release --project benchmarks/Curation.DedupAccuracy -- [--docs N] [--seed S] [--variants F] [--punctuation delete|space]
var (docs, seed, fraction, punctuationAsSpace) = (3000, 42L, 0.2, true);
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--docs": docs = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--seed": seed = long.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--variants": fraction = double.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--punctuation" when args[i + 1] is "delete" or "space": punctuationAsSpace = args[i + 1] == "space"; break;
        default: Console.Error.WriteLine($"unknown option {args[i]}; use --docs N --seed S --variants F --punctuation delete|space"); return 2;
    }
}

const int Permutations = 128;
double[] thresholds = [0.7, 0.8, 0.9];
var simplifier = new TextSimplifier(new SimplifyOptions { PunctuationAsSpace = punctuationAsSpace });
var shingler = new Shingler();
var random = new SeededRandom(unchecked((ulong)seed));

var clock = Stopwatch.StartNew();
var bases = CorpusBuilder.Build(docs, random, simplifier);
var corpus = bases.Concat(new Perturber(random).Variants(bases, fraction)).ToList();
var building = clock.Elapsed;

clock.Restart();
var sets = new ulong[corpus.Count][];
Parallel.For(0, corpus.Count, d => sets[d] = shingler.Shingle(simplifier.Simplify(corpus[d].Text)));
var shingling = clock.Elapsed;
clock.Restart();
var signer = new MinHashSigner(Permutations, seed);
var signatures = new uint[corpus.Count][];
Parallel.For(0, corpus.Count, d => signatures[d] = signer.Sign(sets[d]));
var signing = clock.Elapsed;

var truth = GroundTruth.Compute(sets, 0.5);

// The inverted-index counts must agree with the merge the stage verifies with.
foreach (var pair in truth.Pairs.Where((_, i) => i % 17 == 0))
{
    if (Math.Abs(pair.Jaccard - Jaccard.Of(sets[pair.First], sets[pair.Second])) > 1e-12)
    {
        Console.Error.WriteLine($"ground truth disagrees with Jaccard.Of at {pair}");
        return 1;
    }
}

string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
var words = corpus.Select(d => d.Words).Order().ToArray();
Console.WriteLine(Invariant($"## Corpus (seed {seed})"));
Console.WriteLine();
Console.WriteLine("| kind | documents | words (median) | words (total) |");
Console.WriteLine("|---|---:|---:|---:|");
foreach (var group in corpus.GroupBy(d => d.Kind))
{
    var sorted = group.Select(d => d.Words).Order().ToArray();
    Console.WriteLine(Invariant($"| {group.Key} | {sorted.Length:N0} | {sorted[sorted.Length / 2]:N0} | {sorted.Sum(w => (long)w):N0} |"));
}

Console.WriteLine(Invariant($"| **all** | **{corpus.Count:N0}** | {words[words.Length / 2]:N0} | {words.Sum(w => (long)w):N0} |"));
Console.WriteLine();
Console.WriteLine(Invariant(
    $"Building {building.TotalSeconds:0.0} s, simplify + shingle {shingling.TotalSeconds:0.00} s, signing ({Permutations} permutations) {signing.TotalSeconds:0.00} s; {Environment.ProcessorCount} cores."));
Console.WriteLine();

Console.WriteLine(Invariant($"## Ground truth: all {(long)corpus.Count * (corpus.Count - 1) / 2:N0} pairs"));
Console.WriteLine();
Console.WriteLine(Invariant(
    $"{truth.PairsSharingAShingle:N0} pairs share at least one shingle and were scored exactly ({truth.Elapsed.TotalSeconds:0.00} s); every other pair has J = 0."));
Console.WriteLine();
Console.WriteLine("| true J | variant pairs (same base) | natural pairs |");
Console.WriteLine("|---|---:|---:|");
double[] edges = [0.5, 0.6, 0.7, 0.8, 0.9, 1.0];
for (var b = 0; b < edges.Length; b++)
{
    var (low, high) = (edges[b], b + 1 < edges.Length ? edges[b + 1] : double.PositiveInfinity);
    var inBin = truth.Pairs.Where(p => p.Jaccard >= low && p.Jaccard < high).ToList();
    var related = inBin.Count(p => corpus[p.First].Origin == corpus[p.Second].Origin);
    var label = double.IsPositiveInfinity(high) ? "1.0" : Invariant($"[{low:0.0}, {high:0.0})");
    Console.WriteLine(Invariant($"| {label} | {related:N0} | {inBin.Count - related:N0} |"));
}

Console.WriteLine();
Console.WriteLine("## Pairwise accuracy");
Console.WriteLine();
Console.WriteLine("| system | threshold | bands × rows | truth pairs | candidates | predicted | TP | FP | FN | precision | recall | expected recall | F1 | time (ms) |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
_ = Evaluation.Run("warm-up", 0.8, LshParameters.ForRecall(0.8, Permutations), true, sets, signatures, truth.Pairs);
foreach (var threshold in thresholds)
{
    foreach (var (system, lsh, verify) in new[]
    {
        ("curation (ForRecall + verify)", LshParameters.ForRecall(threshold, Permutations), true),
        ("unverified optimal", LshParameters.Optimal(threshold, Permutations), false),
    })
    {
        var e = Evaluation.Run(system, threshold, lsh, verify, sets, signatures, truth.Pairs);
        Console.WriteLine(Invariant(
            $"| {e.System} | {e.Threshold:0.0} | {e.Lsh.Bands} × {e.Lsh.Rows} | {e.TruthPairs:N0} | {e.Candidates:N0} | {e.Predicted:N0} | {e.TruePositives:N0} | {e.Predicted - e.TruePositives:N0} | {e.TruthPairs - e.TruePositives:N0} | {e.Precision:0.0000} | {e.Recall:0.0000} | {e.ExpectedRecall:0.0000} | {e.F1:0.0000} | {e.Elapsed.TotalMilliseconds:0} |"));
    }
}

// Both ways of treating punctuation, each scored against the ground truth of both: which to use is decided here.
Console.WriteLine();
Console.WriteLine("## Punctuation deleted or replaced by a space (threshold 0.8)");
Console.WriteLine();
bool[] punctuationChoices = [false, true];
var tokenisations = punctuationChoices.Select(asSpace =>
{
    var simplify = new TextSimplifier(new SimplifyOptions { PunctuationAsSpace = asSpace });
    var own = new ulong[corpus.Count][];
    Parallel.For(0, corpus.Count, d => own[d] = shingler.Shingle(simplify.Simplify(corpus[d].Text)));
    var signed = new uint[corpus.Count][];
    Parallel.For(0, corpus.Count, d => signed[d] = signer.Sign(own[d]));
    return (Name: asSpace ? "space" : "deleted", Sets: own, Signatures: signed, Truth: GroundTruth.Compute(own, 0.5).Pairs);
}).ToList();
for (var t = 0; t < 2; t++)
{
    var other = tokenisations[1 - t];
    var truthHere = tokenisations[t].Truth.ToDictionary(pair => pair.Key, pair => pair.Jaccard);
    var band = other.Truth.Where(pair => pair.Jaccard >= 0.8 && pair.Jaccard < 0.85).ToList();
    var below = band.Count(pair => truthHere.GetValueOrDefault(pair.Key) < 0.8);
    Console.WriteLine(Invariant(
        $"True pairs with J in [0.80, 0.85) with punctuation {other.Name}: {band.Count:N0}; below 0.80 with punctuation {tokenisations[t].Name}: {below:N0}."));
}

foreach (var tokenisation in tokenisations)
{
    var above = tokenisation.Truth.Where(pair => pair.Jaccard >= 0.8).ToList();
    var planted = above.Count(pair => corpus[pair.First].Origin == corpus[pair.Second].Origin);
    Console.WriteLine(Invariant(
        $"Punctuation {tokenisation.Name}: {above.Count:N0} pairs at J ≥ 0.80, {planted:N0} of them copies of one base, {above.Count - planted:N0} natural."));
}

Console.WriteLine();
Console.WriteLine("| truth: punctuation | system: punctuation | system | bands × rows | truth pairs | predicted | TP | precision | recall | F1 |");
Console.WriteLine("|---|---|---|---:|---:|---:|---:|---:|---:|---:|");
foreach (var truthSide in tokenisations)
{
    foreach (var system in tokenisations)
    {
        foreach (var (label, lsh, verify) in new[]
        {
            ("ForRecall + verify", LshParameters.ForRecall(0.8, Permutations), true),
            ("9 × 13 + verify", LshParameters.Optimal(0.8, Permutations), true),
            ("9 × 13 unverified", LshParameters.Optimal(0.8, Permutations), false),
        })
        {
            var e = Evaluation.Run(label, 0.8, lsh, verify, system.Sets, system.Signatures, truthSide.Truth);
            Console.WriteLine(Invariant(
                $"| {truthSide.Name} | {system.Name} | {label} | {lsh.Bands} × {lsh.Rows} | {e.TruthPairs:N0} | {e.Predicted:N0} | {e.TruePositives:N0} | {e.Precision:0.0000} | {e.Recall:0.0000} | {e.F1:0.0000} |"));
        }
    }
}

return 0;
