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

    [GeneratedRegex(@"step (\d+)  validation loss ([0-9.]+)")]
    private static partial Regex ValidationLine();

    [GeneratedRegex(@"final train loss [0-9.]+")]
    private static partial Regex FinalLoss();
}
