using System.Diagnostics;
using System.Globalization;
using Curation.Training.Runtime;
using TorchSharp;
using static TorchSharp.torch;

// How one projection adds per-row LoRA adapters on CPU: gathering each adapter's rows (index_select + index_add_)
// against running every adapter on all rows and masking (multiply by a per-row scale). Prints the median time per
// projection forward (microseconds) over interleaved rounds, with the base projection alone and one shared adapter.
TorchRuntime.EnsureLoaded();
var threads = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1;
var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 7;
torch.set_num_threads(threads);
const int Rank = 16;
using var one = 1.0.ToScalar();
using var scaling = 2.0.ToScalar();
Console.WriteLine($"threads {threads}, rounds {rounds}, rank {Rank}; median microseconds per projection forward (range)");
Console.WriteLine("in->out | batch x time | adapters | base | shared | index | mask | stacked | mask/index | stacked/index");
foreach (var (inputs, outputs) in new[] { (896, 896), (896, 4864), (4864, 896) })
{
    foreach (var (batch, time) in new[] { (1, 1), (4, 1), (8, 1), (16, 1), (32, 1), (8, 16) })
    {
        foreach (var adapters in new[] { 2, 4 })
        {
            if (adapters > batch)
            {
                continue;
            }

            Measure(inputs, outputs, batch, time, adapters);
        }
    }
}

void Measure(int inputs, int outputs, int batch, int time, int adapters)
{
    using var scope = NewDisposeScope();
    var weight = randn(outputs, inputs) * 0.02.ToScalar();
    var a = Enumerable.Range(0, adapters).Select(_ => randn(Rank, inputs) * 0.02.ToScalar()).ToArray();
    var b = Enumerable.Range(0, adapters).Select(_ => randn(outputs, Rank) * 0.02.ToScalar()).ToArray();
    var x = randn(batch, time, inputs);
    var rowsOf = Enumerable.Range(0, adapters).Select(k => tensor(Enumerable.Range(0, batch).Where(r => r % adapters == k).Select(r => (long)r).ToArray())).ToArray();
    var masks = Enumerable.Range(0, adapters).Select(k => tensor(Enumerable.Range(0, batch).Select(r => r % adapters == k ? 2.0f : 0f).ToArray(), [batch, 1, 1])).ToArray();
    using var noGrad = no_grad();

    Tensor Base() => nn.functional.linear(x, weight);
    Tensor Delta(int k, Tensor input) => nn.functional.linear(nn.functional.linear(input, a[k]), b[k]);
    Tensor Shared()
    {
        using var s = NewDisposeScope();
        return Base().add(Delta(0, x) * scaling, one).MoveToOuterDisposeScope();
    }

    Tensor Index()
    {
        using var s = NewDisposeScope();
        var output = Base();
        for (var k = 0; k < adapters; k++)
        {
            output.index_add_(0, rowsOf[k], Delta(k, x.index_select(0, rowsOf[k])), scaling);
        }

        return output.MoveToOuterDisposeScope();
    }

    Tensor Mask()
    {
        using var s = NewDisposeScope();
        var output = Base();
        for (var k = 0; k < adapters; k++)
        {
            output.add_(Delta(k, x).mul_(masks[k]), one);
        }

        return output.MoveToOuterDisposeScope();
    }

    // All adapters' A stacked [adapters * rank, in] and B side by side [out, adapters * rank], scaling folded into B;
    // each row keeps only its adapter's rank columns (a per-route 0/1 mask [batch, 1, adapters * rank]).
    var aStacked = cat(a, 0);
    var bStacked = cat(b, 1) * scaling;
    var routeOneHot = tensor(Enumerable.Range(0, batch).SelectMany(r => Enumerable.Range(0, adapters).Select(k => r % adapters == k ? 1f : 0f)).ToArray(), [batch, adapters]);
    var columnAdapter = tensor(Enumerable.Range(0, adapters * Rank).Select(c => (long)(c / Rank)).ToArray());
    Tensor Stacked()
    {
        using var s = NewDisposeScope();
        var output = Base();
        var columns = routeOneHot.index_select(1, columnAdapter).unsqueeze(1);
        output.add_(nn.functional.linear(nn.functional.linear(x, aStacked).mul_(columns), bStacked), one);
        return output.MoveToOuterDisposeScope();
    }

    var methods = new Func<Tensor>[] { Base, Shared, Index, Mask, Stacked };
    using (var check = Index())
    using (var reference = Mask())
    {
        using var stacked = Stacked();
        if (!check.allclose(reference, 1e-5, 1e-5) || !check.allclose(stacked, 1e-5, 1e-5))
        {
            throw new InvalidOperationException("index and mask disagree");
        }
    }

    // About 40 ms per method and round, from a calibration of the slowest.
    var calibration = Stopwatch.StartNew();
    for (var i = 0; i < 5; i++)
    {
        Mask().Dispose();
    }

    var inner = Math.Max(5, (int)(40_000 / (calibration.Elapsed.TotalMicroseconds / 5)));
    var timings = methods.Select(_ => new List<double>()).ToArray();
    for (var round = -1; round < rounds; round++)
    {
        for (var m = 0; m < methods.Length; m++)
        {
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < inner; i++)
            {
                methods[m]().Dispose();
            }

            if (round >= 0)
            {
                timings[m].Add(watch.Elapsed.TotalMicroseconds / inner);
            }
        }
    }

    string Show(List<double> t) => string.Create(CultureInfo.InvariantCulture, $"{Median(t):F1} ({t.Min():F1}-{t.Max():F1})");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{inputs}->{outputs} | {batch}x{time} | {adapters} | {string.Join(" | ", timings.Select(Show))} | {Median(timings[3]) / Median(timings[2]):F2} | {Median(timings[4]) / Median(timings[2]):F2}"));
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted[sorted.Count / 2];
}
