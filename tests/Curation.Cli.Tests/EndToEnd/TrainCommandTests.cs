using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Curation.TestKit;

namespace Curation.Cli.Tests.EndToEnd;

/// <summary>The offline training flow of the README: model init, train on datasets-sample/training, generate.</summary>
public sealed partial class TrainCommandTests
{
    private static string Sample(string file) => Path.Combine(RepositoryPaths.Root, "datasets-sample", "training", file);

    private static async Task<string> ModelAsync(TempFolder temp)
    {
        var init = await CliRunner.RunAsync("model", "init", "--arch", "llama", "--preset", "tiny", "-o", temp.File("base"));
        Assert.True(init.ExitCode == ExitCodes.Ok, init.Error);
        return temp.File("base");
    }

    private static async Task<int> ExactMatchesAsync(string model, string? adapter = null)
    {
        var exact = 0;
        foreach (var line in File.ReadLines(Sample("capitals-eval.jsonl")))
        {
            var messages = JsonNode.Parse(line)!["messages"]!.AsArray();
            string[] args = ["generate", "--model", model, "--prompt", messages[0]!["content"]!.GetValue<string>(), "--max-new-tokens", "24", "--device", "cpu"];
            var (exitCode, output, error) = await CliRunner.RunAsync(adapter is null ? args : [.. args, "--adapter", adapter]);
            Assert.True(exitCode == ExitCodes.Ok, error);
            exact += output.TrimEnd('\n') == messages[1]!["content"]!.GetValue<string>() ? 1 : 0;
        }

        return exact;
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task FullFineTune_OnTheSampleTask_AnswersHeldOutPhrasings_ValidationLossFalls()
    {
        using var temp = new TempFolder();
        var model = await ModelAsync(temp);

        var (exitCode, output, error) = await CliRunner.RunAsync(
            "train", "--model", model, "--data", Sample("capitals.jsonl"), "--validation-data", Sample("capitals-eval.jsonl"), "-o", temp.File("run"),
            "--full", "--lr", "5e-3", "--max-steps", "300", "--batch-size", "8", "--eval-every", "300", "--seed", "1", "--device", "cpu");

        Assert.True(exitCode == ExitCodes.Ok, error + output);
        var losses = ValidationLine().Matches(output).Select(m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(2, losses.Count);
        Assert.True(losses[1] < losses[0] / 10, $"validation loss {losses[0]} -> {losses[1]}");
        var baseExact = await ExactMatchesAsync(model);
        var tunedExact = await ExactMatchesAsync(temp.File("run/model"));
        Assert.Equal(0, baseExact);
        Assert.True(tunedExact >= 20, $"{tunedExact} of 24 held-out questions answered exactly");
    }

    [Fact]
    public async Task LoRA_AdapterAndMergedModelGenerateTheSame_ResumeGivesTheSameRun()
    {
        using var temp = new TempFolder();
        var model = await ModelAsync(temp);
        string[] common = ["train", "--model", model, "--data", Sample("capitals.jsonl"), "--rank", "4", "--lr", "1e-2", "--max-steps", "8", "--batch-size", "4", "--save-every", "4", "--seed", "3", "--device", "cpu", "--threads", "1"];

        var straight = await CliRunner.RunAsync([.. common, "-o", temp.File("straight"), "--merge"]);
        var resumed = await CliRunner.RunAsync([.. common, "-o", temp.File("resumed"), "--resume", temp.File("straight/checkpoint-4")]);

        Assert.True(straight.ExitCode == ExitCodes.Ok, straight.Error + straight.Output);
        Assert.True(resumed.ExitCode == ExitCodes.Ok, resumed.Error + resumed.Output);
        Assert.Equal(FinalLoss().Match(straight.Output).Value, FinalLoss().Match(resumed.Output).Value);
        Assert.True(File.Exists(temp.File("straight/adapter/adapter_config.json")));
        var withAdapter = await CliRunner.RunAsync("generate", "--model", model, "--adapter", temp.File("straight/adapter"), "--prompt", "What is the capital of Zorvia?", "--device", "cpu");
        var merged = await CliRunner.RunAsync("generate", "--model", temp.File("straight/merged"), "--prompt", "What is the capital of Zorvia?", "--device", "cpu");
        Assert.Equal(withAdapter.Output, merged.Output);
    }

    [Fact]
    public async Task BadModelFolder_IsAOneLineError()
    {
        using var temp = new TempFolder();

        var (exitCode, _, error) = await CliRunner.RunAsync("train", "--model", temp.File("missing"), "--data", Sample("capitals.jsonl"), "-o", temp.File("run"));

        Assert.Equal(ExitCodes.UsageOrConfig, exitCode);
        Assert.Equal($"{temp.File("missing")}: model folder not found\n", error.ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData("--lr NaN", "--lr must be a finite number above 0; got NaN")]
    [InlineData("--lr -1", "--lr must be a finite number above 0; got -1")]
    [InlineData("--lr 0", "--lr must be a finite number above 0; got 0")]
    [InlineData("--lr 1e400", "--lr must be a finite number above 0; got Infinity")]
    [InlineData("--max-steps 0", "--max-steps must be at least 1; got 0")]
    [InlineData("--epochs 0", "--epochs must be at least 1; got 0")]
    [InlineData("--batch-size 0", "--batch-size must be at least 1; got 0")]
    [InlineData("--grad-accum -2", "--grad-accum must be at least 1; got -2")]
    [InlineData("--warmup-steps -1", "--warmup-steps must be at least 0; got -1")]
    [InlineData("--warmup-steps 20 --max-steps 10", "--warmup-steps must be at most --max-steps (10); got 20")]
    [InlineData("--rank 0", "--rank must be at least 1; got 0")]
    [InlineData("--alpha -16", "--alpha must be a finite number above 0; got -16")]
    [InlineData("--lora-dropout 1", "--lora-dropout must be at least 0 and below 1; got 1")]
    [InlineData("--lora-dropout -0.1", "--lora-dropout must be at least 0 and below 1; got -0.1")]
    [InlineData("--max-length 1", "--max-length must be at least 2; got 1")]
    [InlineData("--val-fraction 1", "--val-fraction must be at least 0 and below 1; got 1")]
    [InlineData("--val-fraction NaN", "--val-fraction must be at least 0 and below 1; got NaN")]
    [InlineData("--max-grad-norm 0", "--max-grad-norm must be a finite number above 0; got 0")]
    [InlineData("--max-grad-norm NaN", "--max-grad-norm must be a finite number above 0; got NaN")]
    [InlineData("--weight-decay -0.01", "--weight-decay must be a finite number at least 0; got -0.01")]
    [InlineData("--eval-every -1", "--eval-every must be at least 0; got -1")]
    [InlineData("--save-every -5", "--save-every must be at least 0; got -5")]
    [InlineData("--log-every -1", "--log-every must be at least 0; got -1")]
    [InlineData("--threads -1", "--threads must be at least 0; got -1")]
    [InlineData("--layers-to-transform 1,x", "--layers-to-transform must be layer indices (0 or more); got 1,x")]
    public async Task Train_OptionOutOfRange_IsOneLineNamingIt_BeforeAnyWork(string options, string expected)
    {
        using var temp = new TempFolder();

        // The model folder does not exist: the options are checked before it is looked at.
        var (exitCode, output, error) = await CliRunner.RunAsync(
            ["train", "--model", temp.File("missing"), "--data", Sample("capitals.jsonl"), "-o", temp.File("run"), .. options.Split(' ')]);

        Assert.Equal(ExitCodes.UsageOrConfig, exitCode);
        Assert.Equal(expected + "\n", error.ReplaceLineEndings("\n"));
        Assert.Empty(output);
        Assert.False(Directory.Exists(temp.File("run")));
    }

    [Fact]
    public async Task LoRA_AllLinearInChosenLayers_WritesPeftsLayersToTransform()
    {
        using var temp = new TempFolder();
        var model = await ModelAsync(temp);

        var (exitCode, output, error) = await CliRunner.RunAsync(
            "train", "--model", model, "--data", Sample("capitals.jsonl"), "-o", temp.File("run"), "--target-modules", "all-linear", "--layers-to-transform", "1",
            "--rank", "4", "--max-steps", "2", "--device", "cpu", "--threads", "1");

        Assert.True(exitCode == ExitCodes.Ok, error + output);
        var config = JsonNode.Parse(File.ReadAllText(temp.File("run/adapter/adapter_config.json")))!;
        Assert.Equal("""["down_proj","gate_proj","k_proj","o_proj","q_proj","up_proj","v_proj"]""", config["target_modules"]!.ToJsonString());
        Assert.Equal("[1]", config["layers_to_transform"]!.ToJsonString());
        var withAdapter = await CliRunner.RunAsync("generate", "--model", model, "--adapter", temp.File("run/adapter"), "--prompt", "Hi", "--max-new-tokens", "2", "--device", "cpu");
        Assert.True(withAdapter.ExitCode == ExitCodes.Ok, withAdapter.Error);
    }

    [Fact]
    public async Task Gpt2_MaxLengthBeyondItsPositions_IsOneLine()
    {
        using var temp = new TempFolder();
        var init = await CliRunner.RunAsync("model", "init", "--arch", "gpt2", "-o", temp.File("gpt2"));
        Assert.True(init.ExitCode == ExitCodes.Ok, init.Error);

        var (exitCode, _, error) = await CliRunner.RunAsync("train", "--model", temp.File("gpt2"), "--data", Sample("capitals.jsonl"), "-o", temp.File("run"), "--max-length", "2048");

        Assert.Equal(ExitCodes.UsageOrConfig, exitCode);
        Assert.Equal("--max-length must be at most 1024, the positions this GPT-2 model has (n_positions); got 2048\n", error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Generate_AtTheModelsLastPosition_StopsWithOneLine_ALongerPromptIsOneLine()
    {
        using var temp = new TempFolder();
        var init = await CliRunner.RunAsync("model", "init", "--arch", "gpt2", "-o", temp.File("gpt2"));
        Assert.True(init.ExitCode == ExitCodes.Ok, init.Error);

        // " a" is one token of GPT-2's; the chat template adds a few around the prompt.
        var nearTheEnd = await CliRunner.RunAsync("generate", "--model", temp.File("gpt2"), "--prompt", string.Concat(Enumerable.Repeat(" a", 1000)), "--max-new-tokens", "64", "--device", "cpu");
        var tooLong = await CliRunner.RunAsync("generate", "--model", temp.File("gpt2"), "--prompt", string.Concat(Enumerable.Repeat(" a", 1100)), "--device", "cpu");

        Assert.True(nearTheEnd.ExitCode == ExitCodes.Ok, nearTheEnd.Error);
        Assert.Equal("curate: generation stopped at the model's last position: it has 1024 (n_positions)\n", nearTheEnd.Error.ReplaceLineEndings("\n"));
        Assert.Equal(ExitCodes.UsageOrConfig, tooLong.ExitCode);
        Assert.Matches(@"^the prompt is 11\d\d tokens; this gpt2 model has 1024 positions \(n_positions\)\n$", tooLong.Error.ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData("--temperature -1", "--temperature must be a finite number at least 0; got -1")]
    [InlineData("--temperature NaN", "--temperature must be a finite number at least 0; got NaN")]
    [InlineData("--top-p 0", "--top-p must be above 0 and at most 1; got 0")]
    [InlineData("--top-p 1.5", "--top-p must be above 0 and at most 1; got 1.5")]
    [InlineData("--max-new-tokens 0", "--max-new-tokens must be at least 1; got 0")]
    public async Task Generate_OptionOutOfRange_IsOneLineNamingIt(string options, string expected)
    {
        using var temp = new TempFolder();

        var (exitCode, _, error) = await CliRunner.RunAsync(["generate", "--model", temp.File("missing"), "--prompt", "Hi", .. options.Split(' ')]);

        Assert.Equal(ExitCodes.UsageOrConfig, exitCode);
        Assert.Equal(expected + "\n", error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Train_UnparsableNumberOrMissingResumeFolder_ExitsTwoNamingTheOption()
    {
        using var temp = new TempFolder();
        string[] common = ["train", "--model", temp.File("missing"), "--data", Sample("capitals.jsonl"), "-o", temp.File("run")];

        var unparsable = await CliRunner.RunAsync([.. common, "--lr", "inf"]);
        var resume = await CliRunner.RunAsync([.. common, "--resume", temp.File("run/checkpoint-4")]);

        Assert.Equal(ExitCodes.UsageOrConfig, unparsable.ExitCode);
        Assert.Contains("'--lr'", unparsable.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.UsageOrConfig, resume.ExitCode);
        Assert.Equal($"{temp.File("run/checkpoint-4")}: checkpoint folder not found (--resume)\n", resume.Error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task HugeLearningRate_ExitsFour_NamesTheStepTheCureAndTheLastGoodCheckpoint_WritesNoAdapter()
    {
        using var temp = new TempFolder();
        var model = await ModelAsync(temp);

        var (exitCode, output, error) = await CliRunner.RunAsync(
            "train", "--model", model, "--data", Sample("capitals.jsonl"), "-o", temp.File("run"), "--lr", "1e6", "--max-steps", "20", "--save-every", "1",
            "--merge", "--seed", "1", "--device", "cpu", "--threads", "1");

        Assert.True(exitCode == ExitCodes.TrainingDiverged, error + output);
        var line = Diverged().Match(error.ReplaceLineEndings("\n"));
        Assert.True(line.Success, error);
        var step = int.Parse(line.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.False(Directory.Exists(temp.File("run/adapter")));
        Assert.False(Directory.Exists(temp.File("run/merged")));
        Assert.False(Directory.Exists(temp.File($"run/checkpoint-{step}")));
        Assert.DoesNotContain("done:", output, StringComparison.Ordinal);
        var last = JsonNode.Parse(File.ReadLines(temp.File("run/metrics.jsonl")).Last())!;
        Assert.Equal(step, last["step"]!.GetValue<int>());

        // The checkpoint it names is whole: generate loads it as an adapter.
        var checkpoint = line.Groups[2].Value;
        Assert.Equal(temp.File($"run/checkpoint-{step - 2}"), checkpoint);
        var generated = await CliRunner.RunAsync("generate", "--model", model, "--adapter", checkpoint, "--prompt", "What is the capital of Zorvia?", "--max-new-tokens", "4", "--device", "cpu");
        Assert.True(generated.ExitCode == ExitCodes.Ok, generated.Error);
    }

    [Fact]
    public async Task ResumeFromATruncatedCheckpoint_IsOneLineNamingTheFile()
    {
        using var temp = new TempFolder();
        var model = await ModelAsync(temp);
        string[] common = ["train", "--model", model, "--data", Sample("capitals.jsonl"), "--rank", "4", "--max-steps", "4", "--save-every", "2", "--device", "cpu", "--threads", "1"];
        var first = await CliRunner.RunAsync([.. common, "-o", temp.File("run")]);
        Assert.True(first.ExitCode == ExitCodes.Ok, first.Error);
        var weights = temp.File("run/checkpoint-2/adapter_model.safetensors");
        var size = new FileInfo(weights).Length;
        File.WriteAllBytes(weights, File.ReadAllBytes(weights)[..100]);

        var (exitCode, _, error) = await CliRunner.RunAsync([.. common, "-o", temp.File("resumed"), "--resume", temp.File("run/checkpoint-2")]);

        Assert.Equal(ExitCodes.UsageOrConfig, exitCode);
        Assert.Equal($"{weights}: truncated or damaged: 100 bytes; trainer_state.json recorded {size}\n", error.ReplaceLineEndings("\n"));
    }

    [SkippableFact]
    public async Task FullDisk_ExitsOne_WithOneLine_ThePreviousAdapterStays()
    {
        Skip.If(CurateProcess.CannotMount is not null, CurateProcess.CannotMount);
        using var temp = new TempFolder();
        var model = await ModelAsync(temp);
        string[] args = ["train", "--model", model, "--data", Sample("capitals.jsonl"), "-o", temp.File("run"), "--rank", "4", "--max-steps", "2", "--device", "cpu", "--threads", "1"];
        var first = await CliRunner.RunAsync(args);
        Assert.True(first.ExitCode == ExitCodes.Ok, first.Error);
        var adapter = temp.File("run/adapter");
        var before = Directory.GetFiles(adapter).ToDictionary(file => Path.GetFileName(file), File.ReadAllBytes);

        // The adapter folder on a file system with room for the previous adapter and one page more: the new
        // weights cannot be written beside them.
        var pages = before.Values.Sum(bytes => (bytes.Length + 4095) / 4096) + 1;
        Directory.CreateDirectory(temp.File("copy-in"));
        foreach (var (name, bytes) in before)
        {
            File.WriteAllBytes(Path.Combine(temp.File("copy-in"), name), bytes);
        }

        var result = await CurateProcess.RunAsync(
            [.. args, "--lr", "1e-2"],
            mounts: [new PrivateMount(adapter, $"size={pages * 4}k", temp.File("snapshot"), CopyIn: temp.File("copy-in"))]);

        Assert.True(result.ExitCode == ExitCodes.RunFailed, result.ToString());
        Assert.Equal($"curate: no space left on {adapter}/ (writing {adapter}/adapter_model.safetensors)\n", result.Error.ReplaceLineEndings("\n"));
        var after = Directory.GetFiles(temp.File("snapshot")).ToDictionary(file => Path.GetFileName(file), File.ReadAllBytes);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        Assert.All(before, file => Assert.Equal(file.Value, after[file.Key]));

        // metrics.jsonl is written from the first step: a full disk there stops the run at once.
        File.Delete(temp.File("run/metrics.jsonl"));
        File.CreateSymbolicLink(temp.File("run/metrics.jsonl"), "/dev/full");
        var metrics = await CliRunner.RunAsync(args);
        Assert.Equal(ExitCodes.RunFailed, metrics.ExitCode);
        Assert.Equal($"curate: no space left on {temp.File("run")}/ (writing {temp.File("run/metrics.jsonl")})\n", metrics.Error.ReplaceLineEndings("\n"));
    }

    [GeneratedRegex(@"^curate: training diverged at step (\d+): [^\n]+; lower --lr \(it was 1E\+06\); the last good checkpoint is ([^\n]+)\n$")]
    private static partial Regex Diverged();

    [GeneratedRegex(@"step (\d+)  validation loss ([0-9.]+)")]
    private static partial Regex ValidationLine();

    [GeneratedRegex(@"final train loss [0-9.]+")]
    private static partial Regex FinalLoss();
}
