using System.Security.Cryptography;
using System.Text.Json;
using Curation.TestKit;

namespace Curation.Cli.Tests.EndToEnd;

/// <summary>Runs pipelines/sample.yaml over datasets-sample/ the way the README does, into a temporary folder.</summary>
public sealed class SamplePipelineTests
{
    private const int SampleRecords = 2598;

    private static string SamplePipeline => Path.Combine(RepositoryPaths.Root, "pipelines", "sample.yaml");

    [Fact]
    public async Task Run_WritesDataRejectsAndManifest_AndEveryStageBalances()
    {
        using var temp = new TempFolder();

        var (exitCode, output, error) = await CliRunner.RunAsync("run", SamplePipeline, "-o", temp.Path, "--workers", "2");

        Assert.True(exitCode == ExitCodes.Ok, error);
        foreach (var stage in new[] { "read", "normalize", "validate", "pii", "exact-dedup", "near-dedup" })
        {
            Assert.Matches($@"(?m)^{stage}\s+\d+\s+\d+\s+\d+\s+ok", output);
        }

        Assert.DoesNotContain("MISMATCH", output, StringComparison.Ordinal);
        var kept = File.ReadAllLines(temp.File("data.jsonl")).Length;
        var rejected = File.ReadAllLines(temp.File("rejects.jsonl")).Length;
        Assert.Equal(SampleRecords, kept + rejected);
        Assert.Contains($"ok: read {SampleRecords}, kept {kept}, rejected {rejected}", output, StringComparison.Ordinal);

        // The worked example in the pipeline reference shows this file and this run's stage table.
        var reference = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "pipeline-reference.md")).ReplaceLineEndings("\n");
        Assert.Contains("```yaml\n" + File.ReadAllText(SamplePipeline).ReplaceLineEndings("\n") + "```", reference, StringComparison.Ordinal);
        var table = output.ReplaceLineEndings("\n").Split('\n').SkipWhile(line => !line.StartsWith("stage ", StringComparison.Ordinal)).TakeWhile(line => line.Length > 0 && !line.Contains(": ", StringComparison.Ordinal)).ToList();
        Assert.True(table.Count > 10, output);
        Assert.All(table, line => Assert.Contains("\n" + line + "\n", reference, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_RejectsEveryPlantedMalformedRecord_WithRuleAndSource()
    {
        using var temp = new TempFolder();

        var (exitCode, _, error) = await CliRunner.RunAsync("run", SamplePipeline, "-o", temp.Path);

        Assert.True(exitCode == ExitCodes.Ok, error);
        var rejects = File.ReadAllLines(temp.File("rejects.jsonl")).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        var byRule = rejects.GroupBy(r => $"{r.GetProperty("stage").GetString()}/{r.GetProperty("rule").GetString()}").ToDictionary(g => g.Key, g => g.Count());

        // Planted counts from datasets-sample/README.md.
        Assert.Equal(3, byRule["read/invalid-utf8"]);
        Assert.Equal(6 + 4, byRule["read/malformed-json"]);
        Assert.Equal(12, byRule["read/schema"]);
        Assert.Equal(21 + 8, byRule["validate/empty-turn"]);
        Assert.Equal(7, byRule["validate/no-assistant-turn"]);
        Assert.Equal(5, byRule["validate/consecutive-roles"]);
        // Verbatim copies in files with ids repeat the id (support 6, code-help 4, sql 3, sharegpt 4, parquet 3): the read
        // stage rejects a repeated id, since review decisions match by id. The other verbatim copies and the
        // cross-format copies are exact-dedup's.
        Assert.Equal(20, byRule["read/duplicate-id"]);
        Assert.Equal(36 - 20 + 20, byRule["exact-dedup/exact-duplicate"]);
        // Planted: word, case/punctuation, whitespace, boilerplate; less one templated answer reviewers judged distinct
        // (datasets-sample/review), which apply-review puts back.
        Assert.Equal(10 + 9 + 8 + 11 - 1, byRule["near-dedup/near-duplicate"]);
        Assert.All(rejects, r => Assert.False(string.IsNullOrEmpty(r.GetProperty("detail").GetString())));

        var invalidUtf8 = Assert.Single(rejects, r =>
            r.GetProperty("source").GetProperty("file").GetString()!.EndsWith("openai/support.jsonl", StringComparison.Ordinal)
            && r.GetProperty("source").GetProperty("line").GetInt64() == 256);
        Assert.Equal("invalid-utf8", invalidUtf8.GetProperty("rule").GetString());
        Assert.True(invalidUtf8.TryGetProperty("raw_base64", out _), "an undecodable line is kept as base64 so it can be recovered");
    }

    [Fact]
    public async Task Run_IsByteIdentical_WithOneAndFourWorkers()
    {
        using var one = new TempFolder();
        using var four = new TempFolder();

        var first = await CliRunner.RunAsync("run", SamplePipeline, "-o", one.Path, "--workers", "1");
        var second = await CliRunner.RunAsync("run", SamplePipeline, "-o", four.Path, "--workers", "4");

        Assert.True(first.ExitCode == ExitCodes.Ok, first.Error);
        Assert.True(second.ExitCode == ExitCodes.Ok, second.Error);
        Assert.Equal(File.ReadAllBytes(one.File("data.jsonl")), File.ReadAllBytes(four.File("data.jsonl")));
        Assert.Equal(File.ReadAllBytes(one.File("rejects.jsonl")), File.ReadAllBytes(four.File("rejects.jsonl")));
    }

    [Fact]
    public async Task Manifest_RecordsInputsOutputsStagesAndSeed_WithTrueHashes()
    {
        using var temp = new TempFolder();

        var (exitCode, _, error) = await CliRunner.RunAsync("run", SamplePipeline, "-o", temp.Path, "--seed", "11");

        Assert.True(exitCode == ExitCodes.Ok, error);
        using var manifest = JsonDocument.Parse(File.ReadAllText(temp.File("manifest.json")));
        var root = manifest.RootElement;
        Assert.Equal("completed", root.GetProperty("status").GetString());
        Assert.Equal(11, root.GetProperty("pipeline").GetProperty("config").GetProperty("seed").GetInt64());
        Assert.Matches("^[0-9a-f]{64}$", root.GetProperty("pipeline").GetProperty("config_sha256").GetString()!);

        var inputs = root.GetProperty("inputs").EnumerateArray().ToList();
        Assert.Equal(11, inputs.Count);
        var faq = Assert.Single(inputs, i => i.GetProperty("path").GetString()!.EndsWith("csv/faq.csv", StringComparison.Ordinal));
        var faqPath = Path.Combine(RepositoryPaths.Root, "datasets-sample", "csv", "faq.csv");
        Assert.Equal(Sha256Of(faqPath), faq.GetProperty("sha256").GetString());
        Assert.Equal(new FileInfo(faqPath).Length, faq.GetProperty("bytes").GetInt64());

        var data = Assert.Single(root.GetProperty("outputs").EnumerateArray(), o => o.GetProperty("role").GetString() == "data");
        Assert.Equal(Sha256Of(temp.File("data.jsonl")), data.GetProperty("sha256").GetString());
        Assert.True(data.GetProperty("complete").GetBoolean());
        var clusters = Assert.Single(root.GetProperty("outputs").EnumerateArray(), o => o.GetProperty("role").GetString() == "clusters");
        Assert.Equal(Sha256Of(temp.File("clusters.jsonl")), clusters.GetProperty("sha256").GetString());
        Assert.Equal(File.ReadAllLines(temp.File("clusters.jsonl")).Length, clusters.GetProperty("records").GetInt64());

        var stages = root.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("name").GetString()).ToList();
        Assert.Equal(["read", "normalize", "validate", "pii", "exact-dedup", "near-dedup", "instruction-quality", "gopher-repetition", "classifier", "apply-review", "token-length"], stages);
    }

    [Fact]
    public async Task Validate_Sample_PrintsStagesAndExitsZero()
    {
        var (exitCode, output, error) = await CliRunner.RunAsync("validate", SamplePipeline);

        Assert.True(exitCode == ExitCodes.Ok, error);
        Assert.Contains("read -> normalize -> validate -> pii -> exact-dedup -> near-dedup -> instruction-quality -> gopher-repetition -> classifier -> apply-review -> token-length -> write", output, StringComparison.Ordinal);
        Assert.Contains("11 files", output, StringComparison.Ordinal);
    }

    private static string Sha256Of(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
}
