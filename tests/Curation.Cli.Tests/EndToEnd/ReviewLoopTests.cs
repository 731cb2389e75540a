using System.Text.Json;
using System.Text.Json.Nodes;
using Curation.TestKit;

namespace Curation.Cli.Tests.EndToEnd;

/// <summary>The whole loop from the command line: run, export for review, reviewers' export, import, run again.</summary>
public sealed class ReviewLoopTests
{
    private const string Pipeline = """
        name: review-loop
        seed: 5
        inputs:
          - in.jsonl
        stages:
          - validate
          - instruction-quality
          - apply-review:
              store: review
              unreviewed: hold
        output:
          dir: out
        """;

    private static string Line(string id, string prompt, string answer) =>
        JsonSerializer.Serialize(new { id, messages = new[] { new { role = "user", content = prompt }, new { role = "assistant", content = answer } } });

    private static TempFolder Project()
    {
        var temp = new TempFolder();
        temp.Write("pipeline.yaml", Pipeline);
        temp.Write("in.jsonl", string.Join('\n',
            Line("capital", "What is the capital of France?", "The capital of France is Paris, on the Seine."),
            Line("sum", "What is 12 + 30?", "12 + 30 is 52, because you add the tens and the units separately."),
            Line("refused", "How do I boil an egg?", "I'm sorry, but I can't help with that request."),
            Line("planet", "Which planet is largest?", "Jupiter is the largest planet in the Solar System by far."),
            Line("colour", "What colour is the sky on a clear day?", "The sky is blue on a clear day because of Rayleigh scattering.")) + "\n");
        return temp;
    }

    [Fact]
    public async Task ExportImportRerun_AppliesTheDecisions_AndRerunsGiveTheSameBytes()
    {
        using var temp = Project();
        var first = await CliRunner.RunAsync("run", temp.File("pipeline.yaml"));
        Assert.True(first.ExitCode == ExitCodes.Ok, first.Error + first.Output);
        Assert.Contains("refusal 1", first.Output, StringComparison.Ordinal);

        var export = await CliRunner.RunAsync(
            "review", "export", temp.File("out"), "--store", temp.File("review"), "-o", temp.File("queue"), "--rules", "refusal", "--random", "5", "--seed", "2");
        Assert.True(export.ExitCode == ExitCodes.Ok, export.Error);
        var tasks = JsonNode.Parse(File.ReadAllText(temp.File("queue/tasks.json")))!.AsArray();
        var ids = tasks.Select(t => t!["data"]!["record_id"]!.GetValue<string>()).ToList();
        Assert.Contains("refused", ids);
        Assert.Equal(["capital", "sum", "planet", "colour", "refused"], ids);

        // The reviewers' JSON_MIN export: the refusal was fine for this dataset, the sum is wrong and gets corrected,
        // one record is rejected, the rest wait for review.
        var items = new JsonArray();
        var taskId = 1;
        foreach (var task in tasks)
        {
            var data = task!["data"]!.AsObject();
            var id = data["record_id"]!.GetValue<string>();
            var (decision, correction) = id switch
            {
                "refused" => ("accept", (string?)null),
                "sum" => ("accept", "12 + 30 is 42."),
                "planet" => ("reject", null),
                _ => (null, null),
            };
            if (decision is null)
            {
                continue;
            }

            var item = (JsonObject)data.DeepClone();
            item["id"] = taskId++;
            item["decision"] = decision;
            item["correction"] = correction ?? data["response"]!.GetValue<string>();
            item["annotator"] = "alice@example.com";
            items.Add(item);
        }

        temp.Write("reviewed.json", items.ToJsonString());
        var import = await CliRunner.RunAsync("review", "import", temp.File("reviewed.json"), "--store", temp.File("review"));
        Assert.True(import.ExitCode == ExitCodes.Ok, import.Error);
        Assert.Contains($"verdicts: {items.Count(i => i!["decision"]!.GetValue<string>() == "accept")} accept", import.Output, StringComparison.Ordinal);

        var second = await CliRunner.RunAsync("run", temp.File("pipeline.yaml"));
        Assert.True(second.ExitCode == ExitCodes.Ok, second.Error + second.Output);
        Assert.Contains("restored 1 rejected earlier", second.Output, StringComparison.Ordinal);
        var kept = File.ReadAllLines(temp.File("out/data.jsonl")).Select(l => JsonNode.Parse(l)!).ToDictionary(r => r["id"]!.GetValue<string>());
        Assert.Equal("instruction-quality/refusal", kept["refused"]["metadata"]!["review"]!["restored_from"]!.GetValue<string>());
        Assert.Equal("12 + 30 is 42.", kept["sum"]["messages"]![1]!["content"]!.GetValue<string>());
        Assert.True(kept["sum"]["metadata"]!["review"]!["corrected"]!.GetValue<bool>());

        var rejects = File.ReadAllLines(temp.File("out/rejects.jsonl")).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(
            ["capital held-for-review", "planet reviewer-rejected", "colour held-for-review"],
            rejects.Select(r => $"{r["id"]} {r["rule"]}"));
        Assert.Equal(["refused", "sum"], kept.Keys.Order(StringComparer.Ordinal));
        var manifest = JsonNode.Parse(File.ReadAllText(temp.File("out/manifest.json")))!;
        Assert.Equal("completed", manifest["status"]!.GetValue<string>());

        var dataBytes = File.ReadAllBytes(temp.File("out/data.jsonl"));
        var third = await CliRunner.RunAsync("run", temp.File("pipeline.yaml"), "--workers", "1");
        Assert.True(third.ExitCode == ExitCodes.Ok, third.Error);
        Assert.Equal(dataBytes, File.ReadAllBytes(temp.File("out/data.jsonl")));

        var labels = await CliRunner.RunAsync("review", "labels", temp.File("out"), "--store", temp.File("review"), "-o", temp.File("labels.jsonl"));
        Assert.True(labels.ExitCode == ExitCodes.Ok, labels.Error);
        var labelled = File.ReadAllLines(temp.File("labels.jsonl")).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(["sum keep", "refused keep", "planet drop"], labelled.Select(l => $"{l["id"]} {l["label"]}"));
        Assert.Equal("12 + 30 is 42.", labelled[0]["messages"]![1]!["content"]!.GetValue<string>());

        var status = await CliRunner.RunAsync("review", "status", "--store", temp.File("review"));
        Assert.Contains("3 of 5 records decided", status.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReviewExportStage_WritesTheQueueBesideTheOutputs()
    {
        using var temp = Project();
        temp.Write("export.yaml", Pipeline.Replace("""
              - apply-review:
                  store: review
                  unreviewed: hold
            """, """
              - review-export:
                  store: review
                  tool: argilla
                  random: 2
                  rules: [refusal]
            """, StringComparison.Ordinal));

        var (exitCode, output, error) = await CliRunner.RunAsync("run", temp.File("export.yaml"));

        Assert.True(exitCode == ExitCodes.Ok, error + output);
        Assert.True(File.Exists(temp.File("out/review/.argilla/settings.json")));
        var records = JsonNode.Parse(File.ReadAllText(temp.File("out/review/records.json")))!.AsArray();
        Assert.Equal(3, records.Count);
        Assert.Contains(records, r => r!["id"]!.GetValue<string>() == "refused" && r["suggestions"]!["decision"]!["value"]!.GetValue<string>() == "reject");
        Assert.Contains("records for review", output, StringComparison.Ordinal);
        Assert.True(File.Exists(temp.File("review/batches.jsonl")));
    }

    [Fact]
    public async Task ImportOfAForeignExport_IsAOneLineError_ExitTwo()
    {
        using var temp = Project();
        temp.Write("foreign.json", """[{"id": 1, "data": {"text": "hello"}, "annotations": [{"completed_by": 3, "result": [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Positive"]}}]}]}]""");

        var (exitCode, _, error) = await CliRunner.RunAsync("review", "import", temp.File("foreign.json"), "--store", temp.File("review"));

        Assert.Equal(ExitCodes.UsageOrConfig, exitCode);
        Assert.Equal("foreign.json: task 1: no answer to any of the questions decision, rating, correction, reason, duplicate, keep; the task answers sentiment: an export from another project? (map its questions with --decision-question and the like)\n", error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task ARecordValidateRejected_AcceptedInReviewAsItIs_StaysRejectedAndSaysWhy()
    {
        using var temp = Project();
        temp.Write("in.jsonl", string.Join('\n',
            Line("fine", "What is the capital of France?", "The capital of France is Paris, on the Seine."),
            Line("blank", "Say hello in French.", "   ")) + "\n");
        Assert.Equal(ExitCodes.Ok, (await CliRunner.RunAsync("run", temp.File("pipeline.yaml"))).ExitCode);
        Assert.Equal(ExitCodes.Ok, (await CliRunner.RunAsync("review", "export", temp.File("out"), "--store", temp.File("review"), "-o", temp.File("queue"), "--rules", "empty-turn")).ExitCode);
        var task = JsonNode.Parse(File.ReadAllText(temp.File("queue/tasks.json")))!.AsArray().Single()!["data"]!.AsObject();
        var item = (JsonObject)task.DeepClone();
        item["id"] = 1;
        item["decision"] = "accept";
        item["annotator"] = "alice@example.com";
        temp.Write("reviewed.json", new JsonArray(item).ToJsonString());
        Assert.Equal(ExitCodes.Ok, (await CliRunner.RunAsync("review", "import", temp.File("reviewed.json"), "--store", temp.File("review"))).ExitCode);

        var (exitCode, output, error) = await CliRunner.RunAsync("run", temp.File("pipeline.yaml"));

        Assert.True(exitCode == ExitCodes.Ok, error + output);
        Assert.Equal(["fine"], File.ReadAllLines(temp.File("out/data.jsonl")).Select(l => JsonNode.Parse(l)!["id"]!.GetValue<string>()));
        var reject = JsonNode.Parse(File.ReadAllLines(temp.File("out/rejects.jsonl")).Single())!;
        Assert.Equal("validate empty-turn", $"{reject["stage"]} {reject["rule"]}");
        Assert.Equal("messages[1] (assistant) is empty; accepted in review but not restored: it still fails validation: empty-turn: messages[1] (assistant) is empty", reject["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task WrongToolOrAFieldOfTheWrongType_IsOneLineNamingIt_ExitTwo_StoreUntouched()
    {
        using var temp = Project();
        Assert.Equal(ExitCodes.Ok, (await CliRunner.RunAsync("run", temp.File("pipeline.yaml"))).ExitCode);
        Assert.Equal(ExitCodes.Ok, (await CliRunner.RunAsync("review", "export", temp.File("out"), "--store", temp.File("review"), "-o", temp.File("queue"), "--rules", "refusal")).ExitCode);
        var task = JsonNode.Parse(File.ReadAllText(temp.File("queue/tasks.json")))!.AsArray()[0]!["data"]!.AsObject();
        var item = (JsonObject)task.DeepClone();
        item["id"] = 12;
        item["decision"] = "accept";
        item["annotator"] = "alice@example.com";
        temp.Write("reviewed.json", new JsonArray(item).ToJsonString());
        Assert.Equal(ExitCodes.Ok, (await CliRunner.RunAsync("review", "import", temp.File("reviewed.json"), "--store", temp.File("review"))).ExitCode);
        var before = File.ReadAllBytes(temp.File("review/decisions.jsonl"));
        var wrongType = (JsonObject)item.DeepClone();
        wrongType["decision"] = 5;
        temp.Write("wrong-type.json", new JsonArray(wrongType).ToJsonString());

        foreach (var (args, expected) in new[]
        {
            (new[] { temp.File("reviewed.json"), "--tool", "argilla" },
                $"{temp.File("reviewed.json")}: this is a Label Studio JSON_MIN export (items with 'annotator'), not an Argilla one; use --tool label-studio"),
            (new[] { temp.File("queue"), "--tool", "label-studio" }, $"{temp.File("queue")}: a folder: expected a Label Studio export file (JSON, JSON_MIN, CSV or TSV)"),
            (new[] { temp.File("wrong-type.json") }, "wrong-type.json: element 1 (task 12): field 'decision': expected a choice (a string or a list of strings), got a number"),
        })
        {
            var (exitCode, _, error) = await CliRunner.RunAsync(["review", "import", .. args, "--store", temp.File("review")]);

            Assert.Equal(ExitCodes.UsageOrConfig, exitCode);
            Assert.Equal(expected + "\n", error.ReplaceLineEndings("\n"));
            Assert.Equal(before, File.ReadAllBytes(temp.File("review/decisions.jsonl")));
        }
    }

    [Fact]
    public async Task AnotherProjectsPairwiseReview_ImportedAsPreferences_GivesDpoPairs()
    {
        using var temp = Project();
        temp.Write("in.jsonl", string.Join('\n',
            Line("a1", "What is the capital of France?", "The capital of France is Paris, on the Seine."),
            Line("a2", "What is the capital of France?", "France has no capital city, it is governed from Lyon.")) + "\n");
        Assert.Equal(ExitCodes.Ok, (await CliRunner.RunAsync("run", temp.File("pipeline.yaml"))).ExitCode);
        temp.Write("pairwise.json", """
            [{"id": 7, "data": {"prompt": "What is the capital of France?", "answer1": "…", "answer2": "…", "answer1_id": "a2", "answer2_id": "a1"},
              "annotations": [{"id": 1, "completed_by": {"id": 3, "email": "alice@example.com"}, "was_cancelled": false,
                "result": [{"from_name": "comparison", "to_name": "answer1,answer2", "type": "pairwise", "value": {"selected": "right"}}]}]}]
            """);

        var import = await CliRunner.RunAsync(
            "review", "import", temp.File("pairwise.json"), "--store", temp.File("review"),
            "--left-id-field", "answer1_id", "--right-id-field", "answer2_id", "--pairwise-question", "comparison", "--pairwise", "preference");
        var pairs = await CliRunner.RunAsync("review", "pairs", temp.File("out"), "--store", temp.File("review"), "-o", temp.File("dpo.jsonl"));

        Assert.True(import.ExitCode == ExitCodes.Ok, import.Error);
        Assert.Contains("preferences: 1 pairs with a side chosen, 0 without", import.Output, StringComparison.Ordinal);
        Assert.Contains("preferences: 1 new, 0 changed, 0 unchanged; 1 pairs in all", import.Output, StringComparison.Ordinal);
        Assert.True(pairs.ExitCode == ExitCodes.Ok, pairs.Error);
        Assert.StartsWith("1 preference pairs\n", pairs.Output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Equal(
            """{"prompt":[{"role":"user","content":"What is the capital of France?"}],"chosen":[{"role":"assistant","content":"The capital of France is Paris, on the Seine."}],"rejected":[{"role":"assistant","content":"France has no capital city, it is governed from Lyon."}]}""",
            File.ReadAllLines(temp.File("dpo.jsonl")).Single());
    }

    [Fact]
    public async Task LabelsAndExport_AreWrittenWholeOrNotAtAll()
    {
        using var temp = Project();
        Assert.Equal(ExitCodes.Ok, (await CliRunner.RunAsync("run", temp.File("pipeline.yaml"))).ExitCode);
        Assert.Equal(ExitCodes.Ok, (await CliRunner.RunAsync("review", "export", temp.File("out"), "--store", temp.File("review"), "-o", temp.File("queue"), "--random", "5")).ExitCode);
        var items = new JsonArray();
        foreach (var task in JsonNode.Parse(File.ReadAllText(temp.File("queue/tasks.json")))!.AsArray())
        {
            var item = (JsonObject)task!["data"]!.DeepClone();
            item["id"] = items.Count + 1;
            item["decision"] = "reject";
            item["annotator"] = "alice@example.com";
            items.Add(item);
        }

        temp.Write("reviewed.json", items.ToJsonString());
        Assert.Equal(ExitCodes.Ok, (await CliRunner.RunAsync("review", "import", temp.File("reviewed.json"), "--store", temp.File("review"))).ExitCode);
        Assert.Equal(ExitCodes.Ok, (await CliRunner.RunAsync("review", "labels", temp.File("out"), "--store", temp.File("review"), "-o", temp.File("labels/labels.jsonl"))).ExitCode);
        temp.Write("notes/todo.md", "keep me");

        var export = await CliRunner.RunAsync("review", "export", temp.File("out"), "--store", temp.File("review"), "-o", temp.File("notes"), "--random", "2");

        Assert.Equal(ExitCodes.UsageOrConfig, export.ExitCode);
        Assert.Equal($"{temp.File("notes")}: holds todo.md, which no review export writes, and an export replaces its folder whole: export to a new or empty folder\n", export.Error.ReplaceLineEndings("\n"));
        Assert.Equal(["todo.md"], Directory.GetFileSystemEntries(temp.File("notes")).Select(Path.GetFileName));

        var labels = File.ReadAllBytes(temp.File("labels/labels.jsonl"));
        File.AppendAllText(temp.File("out/rejects.jsonl"), "{\"stage\": \"refusal\", \"rule\": \"refusal\", \"record\": {\"id\": \"cut\", \"mess\n");

        var (exitCode, _, error) = await CliRunner.RunAsync("review", "labels", temp.File("out"), "--store", temp.File("review"), "-o", temp.File("labels/labels.jsonl"));

        Assert.Equal(ExitCodes.UsageOrConfig, exitCode);
        Assert.StartsWith($"{temp.File("out/rejects.jsonl")}:", error, StringComparison.Ordinal);
        Assert.Equal(labels, File.ReadAllBytes(temp.File("labels/labels.jsonl")));
        Assert.Equal(["labels.jsonl"], Directory.GetFileSystemEntries(temp.File("labels")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task ExportWithoutASelection_IsAUsageError()
    {
        using var temp = Project();

        var (exitCode, _, error) = await CliRunner.RunAsync("review", "export", temp.File("out"), "--store", temp.File("review"), "-o", temp.File("queue"));

        Assert.Equal(ExitCodes.UsageOrConfig, exitCode);
        Assert.Contains("choose what to review: --random N, --score-cut X, --rules RULE or --near-duplicate-pairs", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportDryRun_ReportsAndStoresNothing()
    {
        using var temp = Project();
        Assert.Equal(ExitCodes.Ok, (await CliRunner.RunAsync("run", temp.File("pipeline.yaml"))).ExitCode);
        Assert.Equal(ExitCodes.Ok, (await CliRunner.RunAsync("review", "export", temp.File("out"), "--store", temp.File("review"), "-o", temp.File("queue"), "--rules", "refusal")).ExitCode);
        var task = JsonNode.Parse(File.ReadAllText(temp.File("queue/tasks.json")))!.AsArray()[0]!["data"]!.AsObject();
        var item = (JsonObject)task.DeepClone();
        item["id"] = 1;
        item["decision"] = "accept";
        item["annotator"] = 5;
        temp.Write("reviewed.json", new JsonArray(item).ToJsonString());

        var (exitCode, output, error) = await CliRunner.RunAsync("review", "import", temp.File("reviewed.json"), "--store", temp.File("review"), "--dry-run");

        Assert.True(exitCode == ExitCodes.Ok, error);
        Assert.Contains("(dry run, nothing stored)", output, StringComparison.Ordinal);
        Assert.Contains("verdicts: 1 accept", output, StringComparison.Ordinal);
        Assert.False(File.Exists(temp.File("review/decisions.jsonl")));
    }
}
