using System.Text.Json.Nodes;
using Curation.TestKit;

namespace Curation.Cli.Tests.EndToEnd;

/// <summary><c>curate generate --input … --output …</c>: replies to a file of prompts, decoded in batches.</summary>
public sealed class GenerateCommandTests
{
    private static readonly string[] Cpu = ["--device", "cpu"];

    [Fact]
    public async Task InputFile_GetsAReplyPerRecord_InOrder_AsEachPromptAlone_WhateverTheBatchSize()
    {
        using var temp = new TempFolder();
        var model = await ModelAsync(temp);
        var input = Prompts(temp, 5);

        var batched = await CliRunner.RunAsync(["generate", "--model", model, "--input", input, "-o", temp.File("b4.jsonl"), "--batch-size", "4", "--max-new-tokens", "12", .. Cpu]);
        var one = await CliRunner.RunAsync(["generate", "--model", model, "--input", input, "-o", temp.File("b1.jsonl"), "--batch-size", "1", "--max-new-tokens", "12", .. Cpu]);

        Assert.True(batched.ExitCode == ExitCodes.Ok, batched.Error + batched.Output);
        Assert.True(one.ExitCode == ExitCodes.Ok, one.Error + one.Output);
        Assert.StartsWith("ok: 5 replies, ", batched.Output, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllText(temp.File("b1.jsonl")), File.ReadAllText(temp.File("b4.jsonl")));
        var lines = File.ReadAllLines(temp.File("b4.jsonl")).Select(line => JsonNode.Parse(line)!).ToList();
        var records = File.ReadAllLines(input).Select(line => JsonNode.Parse(line)!).ToList();
        Assert.Equal(records.Select(record => record["id"]!.GetValue<string>()), lines.Select(line => line["id"]!.GetValue<string>()));
        foreach (var (line, record) in lines.Zip(records))
        {
            var messages = line["messages"]!.AsArray();
            Assert.Equal(2, messages.Count);
            Assert.Equal(record["messages"]![0]!["content"]!.GetValue<string>(), messages[0]!["content"]!.GetValue<string>());
            Assert.Equal("assistant", messages[1]!["role"]!.GetValue<string>());
            Assert.Contains(line["finish_reason"]!.GetValue<string>(), new[] { "stop", "length" });
            Assert.True(line["usage"]!["prompt_tokens"]!.GetValue<int>() > 0);
            Assert.InRange(line["usage"]!["completion_tokens"]!.GetValue<int>(), 0, 12);
        }

        var single = await CliRunner.RunAsync(["generate", "--model", model, "--prompt", records[2]["messages"]![0]!["content"]!.GetValue<string>(), "--max-new-tokens", "12", .. Cpu]);
        Assert.Equal(lines[2]["messages"]![1]!["content"]!.GetValue<string>() + "\n", single.Output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task StopString_EndsTheReplyBeforeIt()
    {
        using var temp = new TempFolder();
        var model = await ModelAsync(temp);
        string[] sampled = ["generate", "--model", model, "--prompt", "What is the capital of Zorvia?", "--max-new-tokens", "16", "--temperature", "1", "--seed", "3", .. Cpu];
        var free = await CliRunner.RunAsync(sampled);
        var reply = free.Output.TrimEnd('\n');
        Assert.True(reply.Length >= 6, reply);
        var stop = reply.Substring(reply.Length / 2, 2);

        var stopped = await CliRunner.RunAsync([.. sampled, "--stop", stop]);

        Assert.Equal(reply[..reply.IndexOf(stop, StringComparison.Ordinal)] + "\n", stopped.Output);
    }

    [Theory]
    [InlineData("--prompt hi --input in.jsonl -o out.jsonl", "give either --prompt or --input")]
    [InlineData("--max-new-tokens 4", "give either --prompt or --input")]
    [InlineData("--input in.jsonl", "--input needs --output, the file of replies")]
    [InlineData("--prompt hi -o out.jsonl", "--output goes with --input")]
    [InlineData("--prompt hi --top-k -1", "--top-k must be at least 0; got -1")]
    public async Task BadOptions_AreOneLine(string options, string expected)
    {
        var (exitCode, _, error) = await CliRunner.RunAsync(["generate", "--model", "missing", .. options.Split(' ')]);

        Assert.Equal(ExitCodes.UsageOrConfig, exitCode);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutputOnTheInput_IsRefused_AndTheInputKept()
    {
        using var temp = new TempFolder();
        var model = await ModelAsync(temp);
        var input = Prompts(temp, 2);
        var before = File.ReadAllText(input);

        var (exitCode, _, error) = await CliRunner.RunAsync(["generate", "--model", model, "--input", input, "-o", input, .. Cpu]);

        Assert.NotEqual(ExitCodes.Ok, exitCode);
        Assert.Contains("the output would overwrite an input", error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(input));
    }

    private static async Task<string> ModelAsync(TempFolder temp)
    {
        var init = await CliRunner.RunAsync("model", "init", "--arch", "llama", "--preset", "tiny", "-o", temp.File("base"));
        Assert.True(init.ExitCode == ExitCodes.Ok, init.Error);
        return temp.File("base");
    }

    // Held-out questions with reference answers, as an eval set has them: the answers stay out of the prompts.
    private static string Prompts(TempFolder temp, int count)
    {
        var lines = File.ReadLines(Path.Combine(RepositoryPaths.Root, "datasets-sample", "training", "capitals-eval.jsonl")).Take(count)
            .Select((line, i) =>
            {
                var record = JsonNode.Parse(line)!.AsObject();
                record["id"] = $"q{i}";
                return record.ToJsonString();
            });
        return temp.Write("prompts.jsonl", string.Join('\n', lines) + "\n");
    }
}
