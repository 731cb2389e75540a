using System.Text.Json;
using Curation.TestKit;

namespace Curation.Cli.Tests.EndToEnd;

public sealed class OutputFormatTests
{
    private const string Conversations = """
        {"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"2+2?"},{"role":"assistant","content":"4"}]}
        {"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello"},{"role":"user","content":"Bye"},{"role":"assistant","content":"Bye!"}]}
        {"messages":[{"role":"user","content":"Weather?","name":"ana"},{"role":"assistant","content":"Sunny"}]}
        """;

    [Theory]
    [InlineData("alpaca", "data.jsonl")]
    [InlineData("sharegpt", "data.jsonl")]
    [InlineData("parquet", "data.parquet")]
    public async Task Run_EachOutputFormat_WritesItsFile_AndRejectsWhatItCannotHold(string format, string dataFile)
    {
        using var temp = new TempFolder();
        temp.Write("in.jsonl", Conversations + "\n");
        var pipeline = temp.Write("p.yaml", $"inputs: [in.jsonl]\nstages: [normalize, validate]\noutput:\n  dir: out\n  format: {format}\n");

        var (exitCode, output, error) = await CliRunner.RunAsync("run", pipeline);

        Assert.True(exitCode == ExitCodes.Ok, error);
        Assert.True(File.Exists(temp.File(Path.Combine("out", dataFile))));
        var rejects = File.ReadAllLines(temp.File("out/rejects.jsonl"));
        if (format == "parquet")
        {
            Assert.Empty(rejects);
            Assert.Contains("kept 3, rejected 0", output, StringComparison.Ordinal);
        }
        else
        {
            var reject = JsonDocument.Parse(Assert.Single(rejects)).RootElement;
            Assert.Equal("unrepresentable", reject.GetProperty("rule").GetString());
            Assert.Contains("kept 2, rejected 1", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Run_InputInsideOutputFolder_IsAConfigError()
    {
        using var temp = new TempFolder();
        temp.Write("out/in.jsonl", Conversations + "\n");
        var pipeline = temp.Write("p.yaml", "inputs: [out/in.jsonl]\nstages: [normalize]\noutput:\n  dir: out\n");

        var (exitCode, _, error) = await CliRunner.RunAsync("run", pipeline);

        Assert.Equal(ExitCodes.UsageOrConfig, exitCode);
        Assert.Contains("p.yaml:4:8: output.dir: the output folder", error, StringComparison.Ordinal);
        Assert.Contains("holds", error, StringComparison.Ordinal);
    }
}
