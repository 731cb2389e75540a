using System.Globalization;
using System.Text;
using System.Text.Json;
using Curation.TestKit;

namespace Curation.Cli.Tests.EndToEnd;

/// <summary>
/// <c>curate run --executor local --tasks N</c>: the merged output is the single-process output, byte for byte,
/// whatever N; a relaunch reruns only unfinished tasks and refuses parts of another plan.
/// </summary>
public sealed class LocalTasksTests
{
    private static readonly string Samples = Path.Combine(RepositoryPaths.Root, "datasets-sample");

    // Every input format of datasets-sample, and only record stages.
    internal static readonly string SampleInputs = $$"""
        inputs:
          - {{Samples}}/openai
          - {{Samples}}/alpaca
          - {{Samples}}/sharegpt
          - {{Samples}}/prompt-completion
          - path: {{Samples}}/csv/faq.csv
            fields: { prompt: question, response: answer }
          - path: {{Samples}}/csv/glossary.tsv
            fields: { prompt: term, response: definition }
          - {{Samples}}/parquet
          - {{Samples}}/text
        """;

    internal const string RecordStages = """
        stages:
          - normalize:
              unicode: nfc
              whitespace: trim
          - validate
          - pii
          - instruction-quality
          - gopher-repetition
          - token-length:
              tokenizer: cl100k_base
              template: chatml
              min_tokens: 16
              max_tokens: 2048
              min_response_tokens: 2
        """;

    [Fact]
    public async Task RecordStages_GiveTheSingleProcessBytes_WithOneTwoAndFourTasks()
    {
        using var temp = new TempFolder();
        var pipeline = temp.Write("records.yaml", Pipeline(SampleInputs, RecordStages, temp.File("out")));
        var plain = temp.File("plain");
        var (exitCode, _, error) = await CliRunner.RunAsync("run", pipeline, "-o", plain, "--workers", "2");
        Assert.True(exitCode == ExitCodes.Ok, error);

        foreach (var tasks in new[] { 1, 2, 4 })
        {
            var output = temp.File($"tasks-{tasks}");
            var run = await CurateProcess.RunAsync(["run", pipeline, "-o", output, "--executor", "local", "--tasks", tasks.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
            AssertSameBytes(plain, output, "data.jsonl");
            AssertSameBytes(plain, output, "rejects.jsonl");
            Assert.Equal(Counts(plain), Counts(output));
        }

        // The sample repeats ids across what become different shards: the later uses are still rejected, naming the first.
        Assert.Contains("\"rule\":\"duplicate-id\"", File.ReadAllText(Path.Combine(temp.File("tasks-4"), "rejects.jsonl")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingTask_IsRerunAlone_AndTheResultIsUnchanged()
    {
        using var temp = new TempFolder();
        var pipeline = temp.Write("records.yaml", Pipeline(SampleInputs, RecordStages, temp.File("out")));
        var work = temp.File("work");
        string[] args = ["run", pipeline, "-o", temp.File("out"), "--tasks", "4", "--work-dir", work];
        var first = await CurateProcess.RunAsync(args);
        Assert.True(first.ExitCode == ExitCodes.Ok, first.ToString());
        var data = File.ReadAllBytes(temp.File("out/data.jsonl"));
        var rejects = File.ReadAllBytes(temp.File("out/rejects.jsonl"));

        // Task 2 as if killed before it finished: no completion marker, no data part.
        File.Delete(Path.Combine(work, "markers", "00002.done"));
        File.Delete(Path.Combine(work, "parts", "data-00002-of-00004.jsonl"));
        var status = await CurateProcess.RunAsync(["status", work]);
        Assert.Contains("3 done", status.Output, StringComparison.Ordinal);
        var (again, logs) = await RelaunchAsync(args, work);

        Assert.True(again.ExitCode == ExitCodes.Ok, again.ToString());
        Assert.Contains("(3 already done;", again.Error, StringComparison.Ordinal);
        Assert.Equal([Path.Combine(work, "logs", "task-00002.log")], logs);
        Assert.Equal(data, File.ReadAllBytes(temp.File("out/data.jsonl")));
        Assert.Equal(rejects, File.ReadAllBytes(temp.File("out/rejects.jsonl")));
        var done = await CurateProcess.RunAsync(["status", work]);
        Assert.Contains("4 tasks: 4 done, 0 running, 0 failed, 0 pending", done.Output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^validate\s+\d+\s+\d+\s+\d+$", done.Output);
    }

    [Fact]
    public async Task TasksRunByHand_ThenShardMerge_GiveTheSameBytes()
    {
        using var temp = new TempFolder();
        var pipeline = temp.Write("records.yaml", Pipeline(SampleInputs, RecordStages, temp.File("out")));
        var work = temp.File("work");
        var first = await CurateProcess.RunAsync(["run", pipeline, "--tasks", "3", "--work-dir", work]);
        Assert.True(first.ExitCode == ExitCodes.Ok, first.ToString());
        var data = File.ReadAllBytes(temp.File("out/data.jsonl"));
        var rejects = File.ReadAllBytes(temp.File("out/rejects.jsonl"));
        foreach (var marker in Directory.GetFiles(Path.Combine(work, "markers"), "*.done"))
        {
            File.Delete(marker);
        }

        // As a cluster runs them: each task by its index (the last from the array task id), then the merge.
        var early = await CurateProcess.RunAsync(["shard-merge", work]);
        Assert.Equal(ExitCodes.RunFailed, early.ExitCode);
        Assert.Contains("tasks 0, 1, 2 of ", early.Error, StringComparison.Ordinal);
        foreach (var task in new[] { "0", "1" })
        {
            var ran = await CurateProcess.RunAsync(["shard-task", work, task]);
            Assert.True(ran.ExitCode == ExitCodes.Ok, ran.ToString());
        }

        var info = CurateProcess.StartInfo(["shard-task", work]);
        info.Environment["SLURM_ARRAY_TASK_ID"] = "2";
        using (var process = System.Diagnostics.Process.Start(info)!)
        {
            var last = await CurateProcess.WaitAsync(process, TimeSpan.FromMinutes(3));
            Assert.True(last.ExitCode == ExitCodes.Ok, last.ToString());
        }

        var merged = await CurateProcess.RunAsync(["shard-merge", work]);

        Assert.True(merged.ExitCode == ExitCodes.Ok, merged.ToString());
        Assert.Contains("ok: read 2598", merged.Output, StringComparison.Ordinal);
        Assert.Equal(data, File.ReadAllBytes(temp.File("out/data.jsonl")));
        Assert.Equal(rejects, File.ReadAllBytes(temp.File("out/rejects.jsonl")));
    }

    [Fact]
    public async Task ChangedInput_RefusesToMixWithTheOldParts()
    {
        using var temp = new TempFolder();
        var input = temp.Write("in/chat.jsonl", GeneratedJsonl(200, []));
        var pipeline = temp.Write("p.yaml", Pipeline($"inputs:\n  - {input}\n", "stages:\n  - validate\n", temp.File("out")));
        string[] args = ["run", pipeline, "--tasks", "2", "--work-dir", temp.File("work")];
        var first = await CurateProcess.RunAsync(args);
        Assert.True(first.ExitCode == ExitCodes.Ok, first.ToString());

        File.AppendAllText(input, Line(999, "one more") + "\n");
        var again = await CurateProcess.RunAsync(args);

        Assert.Equal(ExitCodes.UsageOrConfig, again.ExitCode);
        Assert.Contains("holds parts of a different plan (input ", again.Error, StringComparison.Ordinal);
        Assert.Contains("changed since it was planned); remove the folder or choose another --work-dir", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OneLargeJsonlFile_IsCutIntoLineRanges_AndRejectsKeepTheirLineNumbers()
    {
        using var temp = new TempFolder();
        int[] broken = [1, 2, 777, 1500, 1501, 2999, 3000];
        var input = temp.Write("in/big.jsonl", GeneratedJsonl(3000, broken));
        var pipeline = temp.Write("p.yaml", Pipeline($"inputs:\n  - {input}\n", "stages:\n  - normalize\n  - validate\n", temp.File("out")));
        var plain = await CliRunner.RunAsync("run", pipeline, "-o", temp.File("plain"));
        Assert.True(plain.ExitCode == ExitCodes.Ok, plain.Error);

        var run = await CurateProcess.RunAsync(["run", pipeline, "-o", temp.File("sharded"), "--tasks", "4", "--work-dir", temp.File("work")]);

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        using var plan = JsonDocument.Parse(File.ReadAllText(temp.File("work/plan.json")));
        var pieces = plan.RootElement.GetProperty("shards").EnumerateArray().Select(shard => Assert.Single(shard.GetProperty("pieces").EnumerateArray())).ToList();
        Assert.Equal(4, pieces.Count);
        Assert.All(pieces, piece => Assert.True(piece.TryGetProperty("end", out _), "each shard reads a byte range of the one file"));
        var bytes = File.ReadAllBytes(input);
        foreach (var piece in pieces.Skip(1))
        {
            var start = piece.GetProperty("start").GetInt64();
            Assert.Equal((byte)'\n', bytes[start - 1]);
            Assert.Equal(bytes.AsSpan(0, (int)start).Count((byte)'\n'), piece.GetProperty("lines_before").GetInt64());
        }

        var rejectedLines = File.ReadAllLines(temp.File("sharded/rejects.jsonl"))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Select(reject => (Rule: reject.GetProperty("rule").GetString(), Line: reject.GetProperty("source").GetProperty("line").GetInt32()))
            .ToList();
        Assert.Equal(broken.Select(line => ("malformed-json", line)), rejectedLines.Select(reject => (reject.Rule!, reject.Line)));
        AssertSameBytes(temp.File("plain"), temp.File("sharded"), "rejects.jsonl");
        AssertSameBytes(temp.File("plain"), temp.File("sharded"), "data.jsonl");
        using var manifest = JsonDocument.Parse(File.ReadAllText(temp.File("sharded/manifest.json")));
        using var plainManifest = JsonDocument.Parse(File.ReadAllText(temp.File("plain/manifest.json")));
        Assert.Equal(plainManifest.RootElement.GetProperty("inputs").GetRawText(), manifest.RootElement.GetProperty("inputs").GetRawText());
    }

    [Fact]
    public async Task FileMostlyUnreadable_AcrossShards_FailsAsSuspect_AsOneProcessDoes_AndNothingIsPromoted()
    {
        using var temp = new TempFolder();
        var input = temp.Write("in/big.jsonl", GeneratedJsonl(2000, [.. Enumerable.Range(1, 2000).Where(line => line % 5 != 0)]));
        var pipeline = temp.Write("p.yaml", Pipeline($"inputs:\n  - {input}\n", "stages:\n  - normalize\n", temp.File("out")));
        var plain = await CliRunner.RunAsync("run", pipeline, "-o", temp.File("plain"));
        Assert.True(plain.ExitCode == ExitCodes.SuspectResult, plain.Error);

        var run = await CurateProcess.RunAsync(["run", pipeline, "-o", temp.File("sharded"), "--tasks", "3", "--work-dir", temp.File("work")]);

        Assert.True(run.ExitCode == ExitCodes.SuspectResult, run.ToString());
        const string Problem = "big.jsonl: 1600 of 2000 records (80%) could not be read";
        Assert.Contains(Problem, plain.Error, StringComparison.Ordinal);
        Assert.Contains(Problem, run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(temp.File("sharded/data.jsonl")));
    }

    [Fact]
    public async Task SymlinkedInput_IsPlannedAtItsTargetsSize_AndEveryRecordIsRead()
    {
        using var temp = new TempFolder();
        var target = temp.Write("data/big.jsonl", GeneratedJsonl(2000, [5]));
        var link = temp.File("in/big.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(link)!);
        File.CreateSymbolicLink(link, target);
        var pipeline = temp.Write("p.yaml", Pipeline($"inputs:\n  - {link}\n", "stages:\n  - normalize\n", temp.File("out")));
        var plain = await CliRunner.RunAsync("run", pipeline, "-o", temp.File("plain"));
        Assert.True(plain.ExitCode == ExitCodes.Ok, plain.Error);

        var run = await CurateProcess.RunAsync(["run", pipeline, "-o", temp.File("sharded"), "--tasks", "3", "--work-dir", temp.File("work")]);

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        using var plan = JsonDocument.Parse(File.ReadAllText(temp.File("work/plan.json")));
        Assert.Equal(new FileInfo(target).Length, plan.RootElement.GetProperty("files")[0].GetProperty("bytes").GetInt64());
        Assert.Equal(1999, File.ReadLines(temp.File("sharded/data.jsonl")).Count());
        AssertSameBytes(temp.File("plain"), temp.File("sharded"), "data.jsonl");
        AssertSameBytes(temp.File("plain"), temp.File("sharded"), "rejects.jsonl");
    }

    [Fact]
    public async Task SamplePipeline_WithStagesThatNeedEveryRecord_GivesTheSingleProcessBytes_WithOneTwoAndFourTasks()
    {
        using var temp = new TempFolder();
        var pipeline = SamplePipeline(temp);
        var plain = temp.File("plain");
        var (exitCode, _, error) = await CliRunner.RunAsync("run", pipeline, "-o", plain, "--workers", "2");
        Assert.True(exitCode == ExitCodes.Ok, error);

        foreach (var tasks in new[] { 1, 2, 4 })
        {
            var output = temp.File($"tasks-{tasks}");
            var run = await CurateProcess.RunAsync(["run", pipeline, "-o", output, "--tasks", tasks.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
            Assert.Contains("in 5 steps", run.Error, StringComparison.Ordinal);
            AssertSameBytes(plain, output, "data.jsonl");
            AssertSameBytes(plain, output, "rejects.jsonl");
            AssertSameBytes(plain, output, "clusters.jsonl");
            Assert.Equal(Counts(plain), Counts(output));

            // Figures that add up (PII finds, classifier score bins, token histograms) are merged, not listed per task.
            Assert.Equal(Notes(plain, except: "near-dedup"), Notes(output, except: "near-dedup"));
            Assert.Equal(NearDedupNotes(plain), NearDedupNotes(output));

            // No step saw every record for either dedup stage: near-dedup was decided from fingerprints, its pairs
            // found per band partition by as many tasks.
            Assert.Contains($"step 2: near-dedup pairs, {tasks} tasks", run.Error, StringComparison.Ordinal);
            Assert.Contains("step 3: near-dedup clusters, over all shards", run.Error, StringComparison.Ordinal);
            Assert.Equal(tasks, Directory.GetFiles(Path.Combine(output + ".work", "parts", "step-02"), "pairs-*").Length);
            Assert.Empty(Directory.GetFiles(Path.Combine(output + ".work", "parts", "step-02"), "envelopes-*"));
            Assert.Empty(Directory.GetFiles(Path.Combine(output + ".work", "parts", "step-03"), "envelopes-*"));
            Assert.Empty(Directory.GetFiles(Path.Combine(output + ".work", "parts", "step-01"), "envelopes-*"));
        }

        Assert.Contains("token-length: cl100k_base tokens with the chatml template, before: ", Notes(plain, except: "near-dedup"), StringComparison.Ordinal);

        // What each kind of stage did is in the merged output: exact and near duplicates across shards, a reviewer's restore.
        var rejects = File.ReadAllText(Path.Combine(temp.File("tasks-4"), "rejects.jsonl"));
        Assert.Contains("\"rule\":\"exact-duplicate\"", rejects, StringComparison.Ordinal);
        Assert.Contains("\"rule\":\"near-duplicate\"", rejects, StringComparison.Ordinal);
        Assert.Contains("\"rule\":\"reviewer-rejected\"", rejects, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SingleProcessStepAndATaskAfterIt_AreRerunAlone_AndTheResultIsUnchanged()
    {
        using var temp = new TempFolder();
        var pipeline = SamplePipeline(temp);
        var work = temp.File("work");
        string[] args = ["run", pipeline, "-o", temp.File("out"), "--tasks", "2", "--work-dir", work];
        var first = await CurateProcess.RunAsync(args);
        Assert.True(first.ExitCode == ExitCodes.Ok, first.ToString());
        var before = OutputBytes(temp.File("out"));

        // Step 1 (exact-dedup's keys, over all shards) and task 1 of the last step as if killed before they finished.
        File.Delete(Path.Combine(work, "markers", "step-01.done"));
        File.Delete(Path.Combine(work, "markers", "00001.done"));
        var status = await CurateProcess.RunAsync(["status", work]);
        Assert.Contains("step 1 (exact-dedup keys, over all shards): not done", status.Output, StringComparison.Ordinal);
        Assert.Contains("step 2 (near-dedup pairs): 2 of 2 tasks done, 0 failed", status.Output, StringComparison.Ordinal);
        Assert.Contains("step 3 (near-dedup clusters, over all shards): done", status.Output, StringComparison.Ordinal);
        Assert.Contains("2 tasks: 1 done", status.Output, StringComparison.Ordinal);
        var (again, logs) = await RelaunchAsync(args, work);

        Assert.True(again.ExitCode == ExitCodes.Ok, again.ToString());
        Assert.Equal(
            [Path.Combine(work, "logs", "step-01.log"), Path.Combine(work, "logs", "task-00001.log")],
            logs);
        Assert.Equal(before, OutputBytes(temp.File("out")));
    }

    [Fact]
    public async Task ExactDedupBetweenRecordStages_IsResolvedByKeys_AndGivesTheSingleProcessBytes()
    {
        using var temp = new TempFolder();
        const string Stages = """
            stages:
              - normalize
              - exact-dedup:
                  key: prompt
              - validate
              - exact-dedup:
                  name: exact-dedup-conversation
            """;
        var pipeline = temp.Write("keys.yaml", Pipeline(SampleInputs, Stages, temp.File("out")));
        var plain = temp.File("plain");
        var (exitCode, _, error) = await CliRunner.RunAsync("run", pipeline, "-o", plain, "--workers", "2");
        Assert.True(exitCode == ExitCodes.Ok, error);

        foreach (var tasks in new[] { 1, 3 })
        {
            var output = temp.File($"tasks-{tasks}");
            var work = temp.File($"work-{tasks}");
            var run = await CurateProcess.RunAsync(["run", pipeline, "-o", output, "--tasks", tasks.ToString(System.Globalization.CultureInfo.InvariantCulture), "--work-dir", work]);
            Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
            AssertSameBytes(plain, output, "data.jsonl");
            AssertSameBytes(plain, output, "rejects.jsonl");
            Assert.Equal(Counts(plain), Counts(output));

            // No step saw every record: the two dedup stages were decided from keys, partition by partition.
            Assert.Contains("step 1: exact-dedup keys, over all shards", run.Error, StringComparison.Ordinal);
            Assert.Contains("step 3: exact-dedup-conversation keys, over all shards", run.Error, StringComparison.Ordinal);
            Assert.Empty(Directory.GetFiles(Path.Combine(work, "parts", "step-01"), "envelopes-*"));
            Assert.Equal(tasks, Directory.GetDirectories(Path.Combine(work, "parts", "step-01"), "p-*").Length);
        }

        var rejects = File.ReadAllText(Path.Combine(temp.File("tasks-3"), "rejects.jsonl"));
        Assert.Contains("\"stage\":\"exact-dedup\",\"rule\":\"exact-duplicate\"", rejects, StringComparison.Ordinal);
        Assert.Contains("\"stage\":\"exact-dedup-conversation\"", rejects, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("keep: longest")]
    [InlineData("keep: field\n      keep_field: score")]
    public async Task NearDedupWithAClusterBeyondTheAllPairsLimit_IsDecidedFromFingerprints_AndGivesTheSingleProcessBytes(string keep)
    {
        using var temp = new TempFolder();
        var input = temp.Write("in.jsonl", NearDuplicatesJsonl());
        var stages = $"stages:\n  - validate\n  - near-dedup:\n      {keep}\n      clusters: clusters.jsonl\n  - instruction-quality\n";
        var pipeline = temp.Write("near.yaml", Pipeline($"inputs:\n  - {input}\n", stages, temp.File("out")));
        var plain = temp.File("plain");
        var (exitCode, _, error) = await CliRunner.RunAsync("run", pipeline, "-o", plain, "--workers", "2");
        Assert.True(exitCode == ExitCodes.Ok, error);

        var output = temp.File("tasks-3");
        var work = temp.File("work");
        var run = await CurateProcess.RunAsync(["run", pipeline, "-o", output, "--tasks", "3", "--work-dir", work]);

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.Contains("step 1: near-dedup pairs, 3 tasks", run.Error, StringComparison.Ordinal);
        Assert.Contains("step 2: near-dedup clusters, over all shards", run.Error, StringComparison.Ordinal);
        foreach (var file in new[] { "data.jsonl", "rejects.jsonl", "clusters.jsonl" })
        {
            AssertSameBytes(plain, output, file);
        }

        Assert.Equal(Counts(plain), Counts(output));
        Assert.Equal(NearDedupNotes(plain), NearDedupNotes(output));
        Assert.Equal(3, Directory.GetFiles(Path.Combine(work, "parts", "step-01"), "pairs-*").Length);
        Assert.Equal(3, Directory.GetFiles(Path.Combine(work, "parts", "step-01"), "decisions-*").Length);
        Assert.Empty(Directory.GetFiles(Path.Combine(work, "parts", "step-01"), "envelopes-*"));

        // The template's copies are one cluster of more than the all-pairs limit, kept by the stage's rule, not by input order.
        using var clusters = JsonDocument.Parse(File.ReadLines(Path.Combine(output, "clusters.jsonl")).MaxBy(line => line.Length)!);
        Assert.True(clusters.RootElement.GetProperty("size").GetInt32() > 128, "a cluster beyond the all-pairs bucket limit");
        Assert.NotEqual("t-0", clusters.RootElement.GetProperty("cluster_id").GetString());
    }

    [Fact]
    public async Task ClustersStepAndATaskAfterIt_AreRerunAlone_AndTheResultIsUnchanged()
    {
        using var temp = new TempFolder();
        var input = temp.Write("in.jsonl", NearDuplicatesJsonl());
        var stages = "stages:\n  - validate\n  - exact-dedup\n  - near-dedup:\n      clusters: clusters.jsonl\n  - instruction-quality\n";
        var pipeline = temp.Write("near.yaml", Pipeline($"inputs:\n  - {input}\n", stages, temp.File("out")));
        var work = temp.File("work");
        string[] args = ["run", pipeline, "-o", temp.File("out"), "--tasks", "2", "--work-dir", work];
        var first = await CurateProcess.RunAsync(args);
        Assert.True(first.ExitCode == ExitCodes.Ok, first.ToString());
        var before = OutputBytes(temp.File("out"));

        // The clusters step (3) and task 0 of the last step as if killed before they finished; their parts are gone too.
        File.Delete(Path.Combine(work, "markers", "step-03.done"));
        File.Delete(Path.Combine(work, "markers", "00000.done"));
        File.Delete(Path.Combine(work, "parts", "step-02", "decisions-00000.bin"));
        var status = await CurateProcess.RunAsync(["status", work]);
        Assert.Contains("step 1 (exact-dedup keys, over all shards): done", status.Output, StringComparison.Ordinal);
        Assert.Contains("step 2 (near-dedup pairs): 2 of 2 tasks done, 0 failed", status.Output, StringComparison.Ordinal);
        Assert.Contains("step 3 (near-dedup clusters, over all shards): not done", status.Output, StringComparison.Ordinal);
        var (again, logs) = await RelaunchAsync(args, work);

        Assert.True(again.ExitCode == ExitCodes.Ok, again.ToString());
        Assert.Equal(
            [Path.Combine(work, "logs", "step-03.log"), Path.Combine(work, "logs", "task-00000.log")],
            logs);
        Assert.Equal(before, OutputBytes(temp.File("out")));
    }

    [Fact]
    public async Task PairsTaskKilled_IsRerunAlone_WithWhatFollows_AndTheResultIsUnchanged()
    {
        using var temp = new TempFolder();
        var input = temp.Write("in.jsonl", NearDuplicatesJsonl());
        var stages = "stages:\n  - validate\n  - near-dedup:\n      clusters: clusters.jsonl\n  - instruction-quality\n";
        var pipeline = temp.Write("near.yaml", Pipeline($"inputs:\n  - {input}\n", stages, temp.File("out")));
        var work = temp.File("work");
        string[] args = ["run", pipeline, "-o", temp.File("out"), "--tasks", "2", "--work-dir", work];
        var first = await CurateProcess.RunAsync(args);
        Assert.True(first.ExitCode == ExitCodes.Ok, first.ToString());
        var before = OutputBytes(temp.File("out"));
        var pairs = Path.Combine(work, "parts", "step-01", "pairs-00001.bin");
        var pairsBefore = File.ReadAllBytes(pairs);

        // Task 1 of the pairs step (1) as if killed before it finished, so nothing after it ran: its pairs are gone,
        // the clusters step (2) and the last step's tasks have no marker.
        File.Delete(Path.Combine(work, "markers", "step-01-00001.done"));
        File.Delete(pairs);
        foreach (var marker in new[] { "step-02.done", "00000.done", "00001.done" })
        {
            File.Delete(Path.Combine(work, "markers", marker));
        }

        var status = await CurateProcess.RunAsync(["status", work]);
        Assert.Contains("step 1 (near-dedup pairs): 1 of 2 tasks done, 0 failed", status.Output, StringComparison.Ordinal);
        Assert.Contains("step 2 (near-dedup clusters, over all shards): not done", status.Output, StringComparison.Ordinal);
        var (again, logs) = await RelaunchAsync(args, work);

        Assert.True(again.ExitCode == ExitCodes.Ok, again.ToString());
        Assert.Contains("step 1: near-dedup pairs, 1 tasks", again.Error, StringComparison.Ordinal);
        Assert.Equal(
            [.. new[] { "step-01-task-00001.log", "step-02.log", "task-00000.log", "task-00001.log" }.Select(log => Path.Combine(work, "logs", log))],
            logs);
        // The same pairs and counts; only the seconds, the file's last 8 bytes, differ.
        Assert.Equal(pairsBefore[..^8], File.ReadAllBytes(pairs)[..^8]);
        Assert.Equal(before, OutputBytes(temp.File("out")));
    }

    [Fact]
    public async Task PairsStepRunByHand_BeforeIdsAreSettled_IsRunAgainByTheClustersStep_AndGivesTheSingleProcessBytes()
    {
        using var temp = new TempFolder();

        // Some of the second half's records reuse ids of the first half's: one process rejects them on reading.
        var lines = NearDuplicatesJsonl().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var reused = lines.Select((line, i) => i >= 200 && i % 10 == 0 ? line.Replace($"\"id\":\"t-{i}\"", $"\"id\":\"t-{i - 200}\"", StringComparison.Ordinal) : line);
        var input = temp.Write("in.jsonl", string.Join('\n', reused) + "\n");
        var stages = "stages:\n  - validate\n  - near-dedup:\n      clusters: clusters.jsonl\n  - instruction-quality\n";
        var pipeline = temp.Write("near.yaml", Pipeline($"inputs:\n  - {input}\n", stages, temp.File("out")));
        var plain = temp.File("plain");
        var (exitCode, _, error) = await CliRunner.RunAsync("run", pipeline, "-o", plain, "--workers", "2");
        Assert.True(exitCode == ExitCodes.Ok, error);
        Assert.Contains("\"rule\":\"duplicate-id\"", File.ReadAllText(Path.Combine(plain, "rejects.jsonl")), StringComparison.Ordinal);
        var work = temp.File("work");
        var first = await CurateProcess.RunAsync(["run", pipeline, "--tasks", "2", "--work-dir", work]);
        Assert.True(first.ExitCode == ExitCodes.Ok, first.ToString());
        foreach (var file in Directory.GetFiles(Path.Combine(work, "markers"), "*.done").Concat(Directory.GetFiles(Path.Combine(work, "parts"), "seed-*")))
        {
            File.Delete(file);
        }

        // As a cluster runs them: the pairs step's tasks read step 0's fingerprints before any job settled the ids;
        // the clusters step settles them, and runs the pairs step again over the shards it reran.
        foreach (var (step, task) in new[] { ("0", "0"), ("0", "1"), ("1", "0"), ("1", "1") })
        {
            var ran = await CurateProcess.RunAsync(["shard-task", work, task, "--step", step]);
            Assert.True(ran.ExitCode == ExitCodes.Ok, ran.ToString());
        }

        var clusters = await CurateProcess.RunAsync(["shard-gather", work, "--step", "2"]);
        Assert.True(clusters.ExitCode == ExitCodes.Ok, clusters.ToString());
        Assert.Contains("running step 1 (near-dedup pairs) again over the settled shards", clusters.Error, StringComparison.Ordinal);
        foreach (var task in new[] { "0", "1" })
        {
            var ran = await CurateProcess.RunAsync(["shard-task", work, task, "--step", "3"]);
            Assert.True(ran.ExitCode == ExitCodes.Ok, ran.ToString());
        }

        var merged = await CurateProcess.RunAsync(["shard-merge", work]);

        Assert.True(merged.ExitCode == ExitCodes.Ok, merged.ToString());
        foreach (var file in new[] { "data.jsonl", "rejects.jsonl", "clusters.jsonl" })
        {
            AssertSameBytes(plain, temp.File("out"), file);
        }
    }

    [Fact]
    public async Task NearDedup_WithAnEmptyShard_GivesTheSingleProcessBytes()
    {
        using var temp = new TempFolder();
        // A compressed file is read whole by one task: the other shard is empty.
        var input = temp.File("in.jsonl.gz");
        using (var gzip = new System.IO.Compression.GZipStream(File.Create(input), System.IO.Compression.CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(NearDuplicatesJsonl()));
        }

        var stages = "stages:\n  - near-dedup:\n      clusters: clusters.jsonl\n  - validate\n";
        var pipeline = temp.Write("near.yaml", Pipeline($"inputs:\n  - {input}\n", stages, temp.File("out")));
        var plain = temp.File("plain");
        var (exitCode, _, error) = await CliRunner.RunAsync("run", pipeline, "-o", plain, "--workers", "2");
        Assert.True(exitCode == ExitCodes.Ok, error);

        var output = temp.File("tasks-2");
        var run = await CurateProcess.RunAsync(["run", pipeline, "-o", output, "--tasks", "2"]);

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        foreach (var file in new[] { "data.jsonl", "rejects.jsonl", "clusters.jsonl" })
        {
            AssertSameBytes(plain, output, file);
        }

        Assert.Equal(Counts(plain), Counts(output));
        Assert.Equal("0 0 0 0\n", File.ReadAllText(Path.Combine(output + ".work", "parts", "step-01", "shard-00001", "fingerprinted")));
    }

    [Theory]
    [InlineData("gzip", "data.jsonl.gz")]
    [InlineData("zstd", "data.jsonl.zst")]
    public async Task CompressedOutput_OfTasks_IsTheSingleProcessFile(string compression, string dataFile)
    {
        using var temp = new TempFolder();
        var text = Pipeline(SampleInputs, "stages:\n  - normalize\n  - validate\n  - exact-dedup\n", temp.File("out")) + $"  compression: {compression}\n";
        var pipeline = temp.Write("compressed.yaml", text);
        var plain = temp.File("plain");
        var (exitCode, _, error) = await CliRunner.RunAsync("run", pipeline, "-o", plain, "--workers", "2");
        Assert.True(exitCode == ExitCodes.Ok, error);

        var run = await CurateProcess.RunAsync(["run", pipeline, "-o", temp.File("tasks"), "--tasks", "3"]);

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        AssertSameBytes(plain, temp.File("tasks"), dataFile);
        AssertSameBytes(plain, temp.File("tasks"), "rejects.jsonl");
    }

    [Fact]
    public async Task ParquetOutput_OfTasks_IsTheSingleProcessFile()
    {
        using var temp = new TempFolder();
        var text = Pipeline(SampleInputs, "stages:\n  - normalize\n  - validate\n  - exact-dedup\n", temp.File("out")).Replace("format: openai", "format: parquet", StringComparison.Ordinal);
        var pipeline = temp.Write("parquet.yaml", text);
        var plain = temp.File("plain");
        var (exitCode, _, error) = await CliRunner.RunAsync("run", pipeline, "-o", plain, "--workers", "2");
        Assert.True(exitCode == ExitCodes.Ok, error);

        var run = await CurateProcess.RunAsync(["run", pipeline, "-o", temp.File("tasks"), "--tasks", "3"]);

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        AssertSameBytes(plain, temp.File("tasks"), "data.parquet");
        AssertSameBytes(plain, temp.File("tasks"), "rejects.jsonl");
    }

    [Fact]
    public async Task ReviewExport_RunsInsideTheTasks_AndGivesTheSingleProcessExportBatchAndNotes_WithOneTwoAndThreeTasks()
    {
        using var temp = new TempFolder();
        var pipeline = SampleWithReviewExport(temp);
        var batches = temp.File("export-store/batches.jsonl");
        var plain = temp.File("plain");
        var (exitCode, _, error) = await CliRunner.RunAsync("run", pipeline, "-o", plain, "--workers", "2");
        Assert.True(exitCode == ExitCodes.Ok, error);
        var batch = File.ReadAllText(batches);
        Assert.Single(batch.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        string[] files = ["data.jsonl", "rejects.jsonl", "clusters.jsonl", "review/tasks.json", "review/labeling-config.xml"];

        foreach (var tasks in new[] { 1, 2, 3 })
        {
            File.Delete(batches);
            var count = tasks.ToString(CultureInfo.InvariantCulture);
            var output = temp.File($"tasks-{count}");
            var work = temp.File($"work-{count}");
            var run = await CurateProcess.RunAsync(["run", pipeline, "-o", output, "--tasks", count, "--work-dir", work]);

            Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
            foreach (var file in files)
            {
                AssertSameBytes(plain, output, file);
            }

            Assert.Equal(["labeling-config.xml", "tasks.json"], Directory.GetFiles(Path.Combine(output, "review")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            Assert.Equal(batch, File.ReadAllText(batches));
            Assert.Equal(Counts(plain), Counts(output));
            Assert.Equal(
                Notes(plain, except: "near-dedup").Replace(DisplayPath(plain), "OUT", StringComparison.Ordinal),
                Notes(output, except: "near-dedup").Replace(DisplayPath(output), "OUT", StringComparison.Ordinal));

            // Every task chose from its own shard (its part holds candidates) and no step gathered the records for it.
            var parts = Directory.GetFiles(work, "review-export-*.bin", SearchOption.AllDirectories);
            Assert.Equal(tasks, parts.Length);
            Assert.All(parts, part => Assert.True(new FileInfo(part).Length > 0, part));
            Assert.DoesNotContain("review-export, over all shards", run.Error, StringComparison.Ordinal);
        }

        Assert.Contains("review-export: 24 records for review (random 12 by source, seed 7; quality_score within 0.1 of 0.5, at most 6; rejects of refusal, near-dedup, duplicate-id, at most 6, seed 7) in batch b-", Notes(plain, except: string.Empty), StringComparison.Ordinal);

        // A relaunch that finds every task done merges again: the same export, the batch recorded once.
        var again = await CurateProcess.RunAsync(["run", pipeline, "-o", temp.File("tasks-3"), "--tasks", "3", "--work-dir", temp.File("work-3")]);
        Assert.True(again.ExitCode == ExitCodes.Ok, again.ToString());
        AssertSameBytes(plain, temp.File("tasks-3"), "review/tasks.json");
        Assert.Equal(batch, File.ReadAllText(batches));
    }

    [Fact]
    public async Task ReviewExport_WhenATaskFails_WritesNoExportAndRecordsNoBatch()
    {
        using var temp = new TempFolder();
        var good = temp.Write("in/chat.jsonl", GeneratedJsonl(300, []));
        var broken = temp.Write("in/faq.csv", "question,answer\n" + string.Concat(Enumerable.Range(1, 200).Select(i => $"Question {i}?,Answer {i} is long enough.\n")) + "\"never closed,x\nmore,rows\n");
        var inputs = $"inputs:\n  - {good}\n  - path: {broken}\n    fields: {{ prompt: question, response: answer }}\n";
        var stages = $"stages:\n  - validate\n  - review-export:\n      store: {temp.File("store")}\n      random: 20\n      stratify: source\n";
        var pipeline = temp.Write("p.yaml", Pipeline(inputs, stages, temp.File("out")));

        var run = await CurateProcess.RunAsync(["run", pipeline, "-o", temp.File("tasks"), "--tasks", "3", "--work-dir", temp.File("work")]);

        Assert.Equal(ExitCodes.RunFailed, run.ExitCode);
        Assert.Contains("a quoted cell is never closed", run.Error, StringComparison.Ordinal);
        Assert.NotEmpty(Directory.GetFiles(temp.File("work"), "review-export-*.bin", SearchOption.AllDirectories));
        Assert.False(Directory.Exists(temp.File("tasks/review")));
        Assert.False(File.Exists(temp.File("store/batches.jsonl")));
    }

    [Fact]
    public async Task Split_IsAssignedFromKeysInASplitStep_AndGivesTheSingleProcessSplitFiles_WithOneTwoAndThreeTasks()
    {
        using var temp = new TempFolder();
        const string Stages = """
            stages:
              - normalize
              - validate
              - exact-dedup
              - near-dedup:
                  action: mark
              - instruction-quality
              - split:
                  splits: { train: 0.8, validation: 0.1, test: 0.1 }
                  stratify: source
              - gopher-repetition
            """;
        var pipeline = temp.Write("split.yaml", Pipeline(SampleInputs, Stages, temp.File("out")));
        var plain = temp.File("plain");
        var (exitCode, _, error) = await CliRunner.RunAsync("run", pipeline, "-o", plain, "--workers", "2");
        Assert.True(exitCode == ExitCodes.Ok, error);
        string[] files = ["data.jsonl", "rejects.jsonl", "splits/train.jsonl", "splits/validation.jsonl", "splits/test.jsonl"];

        foreach (var tasks in new[] { 1, 2, 3 })
        {
            var output = temp.File($"tasks-{tasks}");
            var work = temp.File($"work-{tasks}");
            var run = await CurateProcess.RunAsync(["run", pipeline, "-o", output, "--tasks", tasks.ToString(CultureInfo.InvariantCulture), "--work-dir", work]);
            Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
            foreach (var file in files)
            {
                AssertSameBytes(plain, output, file);
            }

            Assert.Equal(Counts(plain), Counts(output));
            Assert.Equal(Notes(plain, except: "near-dedup"), Notes(output, except: "near-dedup"));

            // No step read the records to split them: step 5 assigned them from keys, step 6's tasks wrote the split files' parts.
            Assert.Contains("step 5: split assignments, over all shards", run.Error, StringComparison.Ordinal);
            Assert.Contains("step 6: split, gopher-repetition, " + tasks.ToString(CultureInfo.InvariantCulture) + " tasks", run.Error, StringComparison.Ordinal);
            Assert.Empty(Directory.GetFiles(Path.Combine(work, "parts", "step-05"), "envelopes-*"));
            Assert.Equal(3 * tasks, Directory.GetFiles(Path.Combine(work, "parts", "step-06"), "split-*.jsonl").Length);
        }

        // Some near-duplicate clusters have members in different shards, and each stayed in one split.
        var shardsOf = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var splitsOf = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var part in Directory.GetFiles(Path.Combine(temp.File("work-3"), "parts", "step-06"), "split-*.jsonl"))
        {
            foreach (var line in File.ReadLines(part))
            {
                using var record = JsonDocument.Parse(line);
                var metadata = record.RootElement.GetProperty("metadata");
                var cluster = metadata.GetProperty("cluster_id").GetString()!;
                (shardsOf.TryGetValue(cluster, out var shards) ? shards : shardsOf[cluster] = []).Add(Path.GetFileName(part)[^20..]);
                (splitsOf.TryGetValue(cluster, out var splits) ? splits : splitsOf[cluster] = []).Add(metadata.GetProperty("split").GetString()!);
            }
        }

        Assert.Contains(shardsOf, cluster => cluster.Value.Count > 1);
        Assert.All(splitsOf, cluster => Assert.Single(cluster.Value));
    }

    [Fact]
    public async Task SplitToCompressedFiles_IsWrittenThroughTheSingleProcessCompressor_AndParquetSplitFilesAreStillGathered()
    {
        using var temp = new TempFolder();
        foreach (var (format, file, gathered) in new[] { ("compression: gzip", "splits/train.jsonl.gz", false), ("format: parquet", "splits/train.parquet", true) })
        {
            var stages = $"stages:\n  - validate\n  - split:\n      splits: {{ train: 0.7, test: 0.3 }}\n      {format}\n";
            var pipeline = temp.Write("split.yaml", Pipeline(SampleInputs, stages, temp.File("out")));
            var plain = temp.File("plain");
            var (exitCode, _, error) = await CliRunner.RunAsync("run", pipeline, "-o", plain, "--workers", "2");
            Assert.True(exitCode == ExitCodes.Ok, error);

            var output = temp.File("tasks-2");
            var run = await CurateProcess.RunAsync(["run", pipeline, "-o", output, "--tasks", "2", "--work-dir", temp.File("work-" + gathered)]);

            Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
            AssertSameBytes(plain, output, file);
            AssertSameBytes(plain, output, file.Replace("train", "test", StringComparison.Ordinal));
            AssertSameBytes(plain, output, "data.jsonl");
            Assert.Contains(gathered ? "step 1: split, over all shards" : "step 1: split assignments, over all shards", run.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ApplyReview_RunsInsideTheTasks_WithDecisionsForRecordsInEveryShard_AndGivesTheSingleProcessDataRejectsAndNotes()
    {
        using var temp = new TempFolder();
        var lines = new StringBuilder();
        for (var i = 0; i < 300; i++)
        {
            // Every 25th answer is a refusal that instruction-quality rejects; record 101's id comes again at line 291.
            var id = i == 290 ? "r101" : $"r{i}";
            var answer = i % 25 == 0 ? "I'm sorry, but I can't help with that request." : $"Here is a full and useful answer to question {i}, with some detail.";
            lines.Append(CultureInfo.InvariantCulture, $$"""{"id":"{{id}}","messages":[{"role":"user","content":"Question {{i}}: how does this work?"},{"role":"assistant","content":"{{answer}}"}]}""").Append('\n');
        }

        var input = temp.Write("in.jsonl", lines.ToString());
        static string Decision(string id, string verdict, string extra = "") =>
            $$"""{"record_id":"{{id}}","verdict":"{{verdict}}","reviewers":["maria@example.org"],"votes":{"accept":{{(verdict == "accept" ? 1 : 0)}},"reject":{{(verdict == "reject" ? 1 : 0)}}},"agreement":1,"batch":"b-1","tool":"label-studio","file":"export.json","task":"1""" + "\"" + extra + "}";
        temp.Write("review/decisions.jsonl", string.Join('\n',
            Decision("r10", "accept", ",\"correction\":\"A corrected answer to question 10.\""),
            Decision("r151", "reject", ",\"reason\":\"off topic\""),
            Decision("r250", "accept"),
            Decision("r101", "accept"),
            Decision("r999", "accept")) + "\n");
        temp.Write("review/batches.jsonl", """{"batch":"b-1","kind":"records","tool":"label-studio","selection":"test","record_ids":["r10","r151","r250","r101","r999","r20","r280"]}""" + "\n");
        var stages = $"stages:\n  - normalize\n  - validate\n  - instruction-quality\n  - apply-review:\n      store: {temp.File("review")}\n      unreviewed: drop\n  - gopher-repetition\n";
        var pipeline = temp.Write("review.yaml", Pipeline($"inputs:\n  - {input}\n", stages, temp.File("out")));
        var plain = temp.File("plain");
        var (exitCode, _, error) = await CliRunner.RunAsync("run", pipeline, "-o", plain, "--workers", "2");
        Assert.True(exitCode == ExitCodes.Ok, error);

        var output = temp.File("tasks-3");
        var run = await CurateProcess.RunAsync(["run", pipeline, "-o", output, "--tasks", "3", "--work-dir", temp.File("work")]);

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.Contains("as 3 tasks (0 already done", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("over all shards", run.Error, StringComparison.Ordinal);
        AssertSameBytes(plain, output, "data.jsonl");
        AssertSameBytes(plain, output, "rejects.jsonl");
        Assert.Equal(Counts(plain), Counts(output));
        Assert.Equal(Notes(plain, except: string.Empty), Notes(output, except: string.Empty));

        // The decisions reached records in every shard: a correction (shard 0), a reject (1), a restore (2), drops of
        // unreviewed records (0 and 2), and r101's decision in two shards (kept in 1, restored from its duplicate id in 2).
        var shards = JsonDocument.Parse(File.ReadAllText(Path.Combine(temp.File("work"), "plan.json"))).RootElement.GetProperty("shards");
        Assert.Equal(3, shards.GetArrayLength());
        var notes = Notes(output, except: string.Empty);
        Assert.Contains("apply-review: 5 decisions in ", notes, StringComparison.Ordinal);
        Assert.Contains("applied: 4 accepted (1 corrected), 1 rejected; restored from earlier stages: instruction-quality/refusal 1, read/duplicate-id 1", notes, StringComparison.Ordinal);
        Assert.Contains("unreviewed exported records dropped: 2; 1 decisions for records this run did not reach", notes, StringComparison.Ordinal);
        var rejects = File.ReadAllText(Path.Combine(output, "rejects.jsonl"));
        Assert.Contains("\"rule\":\"reviewer-rejected\"", rejects, StringComparison.Ordinal);
        Assert.Contains("\"rule\":\"unreviewed\"", rejects, StringComparison.Ordinal);
        Assert.Contains("A corrected answer to question 10.", File.ReadAllText(Path.Combine(output, "data.jsonl")), StringComparison.Ordinal);
    }

    /// <summary>The repository's sample pipeline (exact-dedup, near-dedup with its clusters file, apply-review among record stages), run from its own folder's paths.</summary>
    internal static string SamplePipeline(TempFolder temp)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "pipelines", "sample.yaml"))
            .Replace("../datasets-sample", Samples, StringComparison.Ordinal)
            .Replace("../out/sample", temp.File("out"), StringComparison.Ordinal);
        return temp.Write("sample.yaml", text);
    }

    /// <summary>
    /// The sample pipeline with a review-export before token-length: the sample review store's kind of selection
    /// (a random sample, scores near the cut, rejects of rules), its random sample stratified by source; its batch is
    /// recorded in <c>export-store</c> beside the pipeline file.
    /// </summary>
    internal static string SampleWithReviewExport(TempFolder temp)
    {
        const string Export = """
              - review-export:
                  store: export-store
                  random: 12
                  stratify: source
                  score_cut: 0.5
                  score_size: 6
                  rules: [refusal, near-dedup, duplicate-id]
                  rules_size: 6
              - token-length:
            """;
        var text = File.ReadAllText(SamplePipeline(temp)).Replace("  - token-length:", Export, StringComparison.Ordinal);
        Assert.Contains("review-export", text, StringComparison.Ordinal);
        return temp.Write("sample.yaml", text);
    }

    internal static string Pipeline(string inputs, string stages, string output) =>
        $"name: sharded\nseed: 7\n{inputs.TrimEnd()}\n{stages.TrimEnd()}\noutput:\n  dir: {output}\n  format: openai\n";

    private static string GeneratedJsonl(int lines, IReadOnlyCollection<int> broken)
    {
        var text = new StringBuilder();
        for (var line = 1; line <= lines; line++)
        {
            text.Append(broken.Contains(line) ? "{\"messages\": [oops" : Line(line, new string('x', line % 300))).Append('\n');
        }

        return text.ToString();
    }

    private static string Line(int number, string padding) =>
        $"{{\"messages\":[{{\"role\":\"user\",\"content\":\"Question {number}: why is the sky blue? {padding}\"}},{{\"role\":\"assistant\",\"content\":\"Answer {number}: because of Rayleigh scattering of sunlight.\"}}]}}";

    /// <summary>
    /// 400 records: copies of one long template (differing only in trailing spaces, so in length, and in a score), copies
    /// with one word changed (near duplicates in some bands only) and unrelated records, interleaved.
    /// </summary>
    private static string NearDuplicatesJsonl()
    {
        var template = string.Join(' ', Enumerable.Range(0, 80).Select(word => $"word{word % 23}x{word}"));
        var text = new StringBuilder();
        for (var i = 0; i < 400; i++)
        {
            var (id, prompt) = (i % 10) switch
            {
                < 8 => ($"t-{i}", template + new string(' ', i % 7)),
                8 => ($"v-{i}", template.Replace($"word{i % 23}x{i % 80} ", $"changed{i} ", StringComparison.Ordinal)),
                _ => ($"u-{i}", $"Unrelated question number {i}: " + string.Join(' ', Enumerable.Range(0, 30).Select(word => $"w{(i * 31) + word}"))),
            };
            var score = (i * 37 % 101) / 100.0;
            text.Append(CultureInfo.InvariantCulture, $$"""{"id":"{{id}}","metadata":{"score":{{score}}},"messages":[{"role":"user","content":"{{prompt}}"},{"role":"assistant","content":"A fine answer to record {{i % 3}}, with enough words to pass."}]}""").Append('\n');
        }

        return text.ToString();
    }

    /// <summary>
    /// The near-dedup stage's notes in the manifest, without the seconds (which differ between any two runs) and the
    /// pairs compared (which depend on the order pairs come in, not on what they decide).
    /// </summary>
    /// <summary>Runs the same command again with the work folder's logs cleared; returns the run and the logs it wrote, by name.</summary>
    private static async Task<(ProcessResult Run, List<string> Logs)> RelaunchAsync(string[] args, string work)
    {
        foreach (var log in Directory.GetFiles(Path.Combine(work, "logs")))
        {
            File.Delete(log);
        }

        var run = await CurateProcess.RunAsync(args);
        return (run, [.. Directory.GetFiles(Path.Combine(work, "logs")).Order(StringComparer.Ordinal)]);
    }

    /// <summary>The data, rejects and clusters files of an output folder.</summary>
    private static List<byte[]> OutputBytes(string folder) =>
        [.. new[] { "data.jsonl", "rejects.jsonl", "clusters.jsonl" }.Select(file => File.ReadAllBytes(Path.Combine(folder, file)))];

    private static List<string> NearDedupNotes(string folder)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json")));
        var stage = manifest.RootElement.GetProperty("stages").EnumerateArray().Single(stage => stage.GetProperty("name").GetString() == "near-dedup");
        return [.. stage.GetProperty("notes").EnumerateArray().Select(note => note.GetString()!).Select(note => System.Text.RegularExpressions.Regex.Replace(note, @"[0-9.]+ s\b|\([0-9]+ compared\)", "_"))];
    }

    /// <summary>How the output folder is shown in notes (relative to the folder tests run in).</summary>
    private static string DisplayPath(string folder) => Curation.Core.Files.DisplayPath.For(Path.Combine(folder, "review"));

    internal static void AssertSameBytes(string expectedFolder, string actualFolder, string file)
    {
        var expected = File.ReadAllBytes(Path.Combine(expectedFolder, file));
        var actual = File.ReadAllBytes(Path.Combine(actualFolder, file));
        Assert.True(expected.AsSpan().SequenceEqual(actual), $"{file} differs between {expectedFolder} and {actualFolder}");
    }

    /// <summary>Every stage's notes but those of <paramref name="except"/> (whose notes hold timings), one per line.</summary>
    private static string Notes(string folder, string except)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json")));
        return string.Join("\n", manifest.RootElement.GetProperty("stages").EnumerateArray()
            .Where(stage => stage.GetProperty("name").GetString() != except && stage.TryGetProperty("notes", out _))
            .SelectMany(stage => stage.GetProperty("notes").EnumerateArray().Select(note => $"{stage.GetProperty("name")}: {note.GetString()}")));
    }

    private static string Counts(string folder)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json")));
        return string.Join("\n", manifest.RootElement.GetProperty("stages").EnumerateArray().Select(stage =>
            $"{stage.GetProperty("name")} {stage.GetProperty("input")} {stage.GetProperty("kept")} {stage.GetProperty("rejected")}"));
    }
}
