using System.Text.Json;
using System.Text.RegularExpressions;
using Curation.Cli;
using Curation.TestKit;

namespace Curation.Splits.Tests;

/// <summary><c>curate run</c> with near-dedup marking clusters and a split stage: the files, the summary and the manifest.</summary>
public sealed class SplitRunTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Line(string id, string answer) =>
        JsonSerializer.Serialize(new { id, messages = new[] { new { role = "user", content = "Tell me about item " + id.Split('-')[0] }, new { role = "assistant", content = answer } } });

    private static string Answer(int seed)
    {
        var random = new Random(seed);
        return string.Join(' ', Enumerable.Range(0, 60).Select(_ => "word" + random.Next(5000)));
    }

    private void WriteInputs()
    {
        // a.jsonl: 40 records, every fifth with a near-copy right after it; b.jsonl: 20 distinct records.
        var a = new List<string>();
        for (var i = 0; i < 32; i++)
        {
            a.Add(Line($"a{i}-0", Answer(i)));
            if (i % 4 == 0)
            {
                a.Add(Line($"a{i}-1", Answer(i) + " (edited)"));
            }
        }

        _temp.Write("data/a.jsonl", string.Join('\n', a) + "\n");
        _temp.Write("data/b.jsonl", string.Join('\n', Enumerable.Range(0, 20).Select(i => Line($"b{i}-0", Answer(1000 + i)))) + "\n");
    }

    private async Task<(int ExitCode, string Output, string Error)> Run(string pipeline, string name)
    {
        var path = _temp.Write(name, pipeline);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CurateApp.RunAsync(["run", path], output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    private const string Pipeline = """
        name: splits
        seed: 11
        inputs: [data]
        stages:
          - near-dedup: { action: mark }
          - split:
              splits: { train: 0.8, validation: 0.1, test: 0.1 }
              stratify: source
        output:
          dir: out
        """;

    [Fact]
    public async Task Run_WritesOneFilePerSplit_ListedInTheManifest_WithCountsInTheSummary()
    {
        WriteInputs();

        var (exitCode, output, error) = await Run(Pipeline, "splits.yaml");

        Assert.True(exitCode == 0, output + error);
        var data = File.ReadAllLines(_temp.File("out/data.jsonl")).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(60, data.Count);
        var splitOf = data.ToDictionary(r => r.GetProperty("id").GetString()!, r => r.GetProperty("metadata").GetProperty("split").GetString()!);
        var manifest = JsonDocument.Parse(File.ReadAllText(_temp.File("out/manifest.json"))).RootElement;
        var listed = manifest.GetProperty("outputs").EnumerateArray().ToDictionary(o => Path.GetRelativePath(_temp.File("out"), o.GetProperty("path").GetString()!), o => o.GetProperty("records").GetInt64());
        foreach (var name in new[] { "train", "validation", "test" })
        {
            var lines = File.ReadAllLines(_temp.File($"out/splits/{name}.jsonl"));
            Assert.All(lines, line => Assert.Equal(name, splitOf[JsonDocument.Parse(line).RootElement.GetProperty("id").GetString()!]));
            Assert.Equal(splitOf.Values.Count(split => split == name), lines.Length);
            Assert.Equal(lines.Length, listed[Path.Combine("splits", name + ".jsonl")]);
        }

        // A near-copy goes where its original goes.
        Assert.All(splitOf.Where(pair => pair.Key.EndsWith("-1", StringComparison.Ordinal)), pair => Assert.Equal(splitOf[pair.Key[..^2] + "-0"], pair.Value));
        // 40 records in a.jsonl (32 groups) and 20 in b.jsonl: 32, 4, 4 and 16, 2, 2 due; the 8 pairs may move a cut.
        // Sources are shown as the run names them (relative to the working folder when inside it).
        Assert.Matches(@"split: stratum '[^']*data/b\.jsonl': 20 records: train 16, validation 2, test 2\n", output);
        Assert.Contains("split: 60 records in 52 groups (by 'cluster_id', else record id), seed 11, stratified by source file: train ", output, StringComparison.Ordinal);
        var notes = manifest.GetProperty("stages").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "split").GetProperty("notes").EnumerateArray().Select(n => n.GetString()).ToList();
        Assert.Contains(notes, note => Regex.IsMatch(note!, @"^stratum '[^']*data/b\.jsonl': 20 records: train 16, validation 2, test 2$"));
    }

    [Fact]
    public async Task Run_IsByteIdenticalWithOneOrFourWorkers()
    {
        WriteInputs();
        var one = await Run(Pipeline.Replace("seed: 11", "seed: 11\nworkers: 1", StringComparison.Ordinal), "one.yaml");
        var first = Directory.GetFiles(_temp.File("out/splits")).Order(StringComparer.Ordinal).Select(File.ReadAllText).ToList();
        var four = await Run(Pipeline.Replace("seed: 11", "seed: 11\nworkers: 4", StringComparison.Ordinal), "four.yaml");
        var second = Directory.GetFiles(_temp.File("out/splits")).Order(StringComparer.Ordinal).Select(File.ReadAllText).ToList();

        Assert.Equal((0, 0), (one.ExitCode, four.ExitCode));
        Assert.Equal(3, first.Count);
        Assert.Equal(first, second);
    }
}
