using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Curation.Core.Records;
using Curation.Evaluation.Golden;
using Curation.Evaluation.Metrics;
using Curation.TestKit;

namespace Curation.Evaluation.Tests.Metrics;

/// <summary>
/// Every metric against Reference/reference_metrics.py on fixed answers (<see cref="MetricCases"/>): the official
/// SQuAD v1.1 normalisation and F1 as written in evaluate-v1.1.py, ROUGE-L as rouge-score computes it, JSON Schema
/// validation by the jsonschema package (Debian python3-jsonschema).
/// </summary>
public sealed class MetricReferenceTests
{
    private static readonly Lazy<string?> PythonWithJsonSchema = new(() => Probe("/usr/bin/python3") ?? Probe("python3"));

    [SkippableFact]
    public void EveryMetric_ScoresAsTheReferenceDoes()
    {
        Skip.If(PythonWithJsonSchema.Value is null, "python3 with jsonschema not found (Debian: apt-get install python3-jsonschema)");
        var cases = MetricCases.All().ToArray();
        var reference = RunReference(cases);

        Assert.Equal(cases.Length, reference.Count);
        var mismatches = new List<string>();
        for (var i = 0; i < cases.Length; i++)
        {
            var expected = reference[i]?.GetValue<double>();
            var actual = Score(cases[i]);
            if (expected is null != actual is null || (expected is { } e && Math.Abs(e - actual!.Value) > 1e-12))
            {
                mismatches.Add($"{cases[i]}: reference {expected?.ToString("R") ?? "null"}, here {actual?.ToString("R") ?? "null"}");
            }
        }

        Assert.True(mismatches.Count == 0, string.Join('\n', mismatches));
        // The cases are not all trivially 0 or 1: the graded metrics take values in between.
        Assert.Contains(reference, r => r is not null && r.GetValue<double>() is > 0 and < 1);
    }

    internal static double? Score(MetricCase metricCase)
    {
        var item = new GoldenItem("case", [new Message("user", "question")], metricCase.Expected, [])
        {
            Pattern = metricCase.Pattern,
            Schema = metricCase.Schema,
            Choices = metricCase.Choices ?? [],
        };
        return MetricCatalog.Create(metricCase.Metric).ScoreOf(item, metricCase.Answer);
    }

    private static JsonArray RunReference(MetricCase[] cases)
    {
        using var folder = new TempFolder();
        var input = folder.Write("input.json", JsonSerializer.Serialize(cases.Select(c => new
        {
            metric = c.Metric,
            answer = c.Answer,
            expected = c.Expected,
            pattern = c.Pattern,
            schema = c.Schema,
            choices = c.Choices,
        })));
        var output = folder.File("output.json");
        var script = Path.Combine(AppContext.BaseDirectory, "Reference", "reference_metrics.py");
        using var process = Process.Start(new ProcessStartInfo(PythonWithJsonSchema.Value!, [script, input, output]) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, error);
        return JsonNode.Parse(File.ReadAllText(output))!.AsArray();
    }

    private static string? Probe(string python)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(python, ["-c", "import jsonschema"]) { RedirectStandardError = true })!;
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? python : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
