using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Curation.Evaluation.Statistics;
using Curation.TestKit;

namespace Curation.Evaluation.Tests;

/// <summary>
/// The bootstrap intervals and paired statistics against numpy and scipy (Reference/reference_bootstrap.py, Debian's
/// python3-scipy) on fixed data: exact-match outcomes (0/1) and graded scores of two arms on 300 items.
/// </summary>
public sealed class BootstrapTests
{
    private const int Resamples = 20_000;

    // Both sides carry Monte Carlo error (under 0.001 with 20,000 resamples), and means of 0/1 outcomes over 300
    // items move in steps of 1/300, so an endpoint may land one step away.
    private const double Tolerance = 0.005;

    private static readonly Lazy<string?> PythonWithScipy = new(() => Probe("/usr/bin/python3") ?? Probe("python3"));

    public static TheoryData<string> Kinds => ["exact-match", "graded"];

    [SkippableTheory]
    [MemberData(nameof(Kinds))]
    public void MeanAndPairedIntervals_MatchScipy_CountsMatchNumpy(string kind)
    {
        Skip.If(PythonWithScipy.Value is null, "python3 with numpy and scipy not found (Debian: apt-get install python3-scipy)");
        var (first, second) = Scores(kind);
        var reference = RunReference(first, second);

        var mean = Bootstrap.Mean(first, Resamples, seed: 3);
        var paired = Bootstrap.Paired(first, second, Resamples, seed: 4);

        Assert.Equal(reference["mean"]!.GetValue<double>(), mean.Estimate, 12);
        Assert.Equal(reference["mean_interval"]![0]!.GetValue<double>(), mean.Lower, Tolerance);
        Assert.Equal(reference["mean_interval"]![1]!.GetValue<double>(), mean.Upper, Tolerance);
        Assert.Equal(reference["difference"]!.GetValue<double>(), paired.Difference.Estimate, 12);
        Assert.Equal(reference["difference_interval"]![0]!.GetValue<double>(), paired.Difference.Lower, Tolerance);
        Assert.Equal(reference["difference_interval"]![1]!.GetValue<double>(), paired.Difference.Upper, Tolerance);
        Assert.Equal(reference["wins"]!.GetValue<int>(), paired.Wins);
        Assert.Equal(reference["ties"]!.GetValue<int>(), paired.Ties);
        Assert.Equal(reference["losses"]!.GetValue<int>(), paired.Losses);
        var sorted = first.Order().ToArray();
        Assert.Equal(reference["percentiles"]!.AsArray().Select(p => p!.GetValue<double>()), new[] { 0.025, 0.5, 0.975 }.Select(p => Bootstrap.Percentile(sorted, p)), new ToleranceComparer(1e-12));
    }

    [Fact]
    public void SameSeed_SameInterval_AnotherSeedAnotherDraw()
    {
        var (first, _) = Scores("graded");

        Assert.Equal(Bootstrap.Mean(first, 2_000, seed: 9), Bootstrap.Mean(first, 2_000, seed: 9));
        Assert.NotEqual(Bootstrap.Mean(first, 2_000, seed: 9), Bootstrap.Mean(first, 2_000, seed: 10));
    }

    [Fact]
    public void ArmsOfDifferentLengths_AreRefused() =>
        Assert.Throws<ArgumentException>(() => Bootstrap.Paired([1, 0, 1], [1, 0]));

    // Deterministic scores: the second arm is the first with some items flipped or shifted, as a fine-tuned model
    // against its base would differ on some items and agree on most.
    private static (double[] First, double[] Second) Scores(string kind)
    {
        var state = 2_463_534_242u;
        double Next()
        {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            return state / (double)uint.MaxValue;
        }

        var first = new double[300];
        var second = new double[300];
        for (var i = 0; i < first.Length; i++)
        {
            if (kind == "exact-match")
            {
                first[i] = Next() < 0.72 ? 1 : 0;
                second[i] = Next() < 0.15 ? 1 - first[i] : first[i];
            }
            else
            {
                first[i] = Math.Round(Next() * Next(), 4);
                second[i] = Math.Clamp(Math.Round(first[i] + ((Next() - 0.6) * 0.3), 4), 0, 1);
            }
        }

        return (first, second);
    }

    private static JsonNode RunReference(double[] first, double[] second)
    {
        using var folder = new TempFolder();
        var input = folder.Write("input.json", JsonSerializer.Serialize(new { first, second, resamples = Resamples, confidence = 0.95 }));
        var output = folder.File("output.json");
        var script = Path.Combine(AppContext.BaseDirectory, "Reference", "reference_bootstrap.py");
        using var process = Process.Start(new ProcessStartInfo(PythonWithScipy.Value!, [script, input, output]) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, error);
        return JsonNode.Parse(File.ReadAllText(output))!;
    }

    private static string? Probe(string python)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(python, ["-c", "import numpy, scipy.stats"]) { RedirectStandardError = true })!;
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? python : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
