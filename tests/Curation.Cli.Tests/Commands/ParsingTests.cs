using Curation.Core.Files;
using Curation.TestKit;

namespace Curation.Cli.Tests.Commands;

public sealed class ParsingTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("run", "--help")]
    [InlineData("validate", "--help")]
    [InlineData("inspect", "--help")]
    [InlineData("dedup", "--help")]
    public async Task Help_OnEveryCommand_PrintsUsageAndExitsZero(params string[] args)
    {
        var (exitCode, output, _) = await CliRunner.RunAsync(args);

        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Subcommands_EachNameIsItsCommandsName()
    {
        foreach (var (name, create) in CurateApp.Subcommands)
        {
            Assert.Equal(name, create().Name);
        }
    }

    [Fact]
    public async Task Help_ListsEverySubcommandNotHidden()
    {
        var (exitCode, output, _) = await CliRunner.RunAsync("--help");

        Assert.Equal(ExitCodes.Ok, exitCode);
        var shown = CurateApp.Subcommands.Select(subcommand => subcommand.Create()).Where(command => !command.Hidden).ToList();
        Assert.True(shown.Count > 10);
        Assert.All(shown, command => Assert.Contains($"  {command.Name} ", output, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("run", "--help")]
    [InlineData("run", "p.yaml", "--frobnicate")]
    [InlineData("run", "p.yaml", "stages")]
    [InlineData("review", "export", "--help")]
    [InlineData("shard-task", "--help")]
    public void CommandTree_ForArgsNamingASubcommand_ParsesAsTheWholeTree(params string[] args)
    {
        var whole = CurateApp.CreateRootCommand([]).Parse(args);
        var named = CurateApp.CreateRootCommand(args).Parse(args);

        Assert.Single(CurateApp.CreateRootCommand(args).Subcommands);
        Assert.Equal(whole.CommandResult.Command.Name, named.CommandResult.Command.Name);
        Assert.Equal(whole.Errors.Select(e => e.Message), named.Errors.Select(e => e.Message));
        Assert.Equal(whole.UnmatchedTokens, named.UnmatchedTokens);
    }

    [Fact]
    public async Task Run_UnknownOption_ExitsTwoWithHint()
    {
        var (exitCode, _, error) = await CliRunner.RunAsync("run", "p.yaml", "--frobnicate");

        Assert.Equal(ExitCodes.UsageOrConfig, exitCode);
        Assert.Contains("--frobnicate", error, StringComparison.Ordinal);
        Assert.Contains("curate run --help", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_MissingArgument_ExitsTwo()
    {
        var (exitCode, _, _) = await CliRunner.RunAsync("run");
        Assert.Equal(ExitCodes.UsageOrConfig, exitCode);
    }

    [Fact]
    public async Task Run_ZeroWorkers_ExitsTwo()
    {
        var (exitCode, _, error) = await CliRunner.RunAsync("run", "p.yaml", "--workers", "0");

        Assert.Equal(ExitCodes.UsageOrConfig, exitCode);
        Assert.Contains("--workers must be at least 1", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_MissingPipelineFile_ExitsTwoNamingIt()
    {
        using var temp = new TempFolder();
        var (exitCode, _, error) = await CliRunner.RunAsync("validate", temp.File("nope.yaml"));

        Assert.Equal(ExitCodes.UsageOrConfig, exitCode);
        Assert.Contains("nope.yaml: pipeline file not found", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_BadPipeline_ListsEveryErrorWithLineAndChoices()
    {
        using var temp = new TempFolder();
        temp.Write("data.jsonl", "{\"prompt\":\"a\",\"completion\":\"b\"}\n");
        var pipeline = temp.Write("p.yaml", """
            inputs:
              - path: data.jsonl
            stages:
              - normalise
              - validate: { empty_turns: true }
            """);

        var (exitCode, _, error) = await CliRunner.RunAsync("validate", pipeline);

        Assert.Equal(ExitCodes.UsageOrConfig, exitCode);
        var lines = error.Trim().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Contains("p.yaml:4:5: unknown stage 'normalise'; valid stages:", lines[0], StringComparison.Ordinal);
        Assert.Contains("normalize", lines[0], StringComparison.Ordinal);
        Assert.Contains("p.yaml:5:17: stage 'validate': unknown parameter 'empty_turns'; valid parameters:", lines[1], StringComparison.Ordinal);
        Assert.Contains("empty_turn", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_FiveMistakesInFivePlaces_PrintsFiveLocatedLinesInFileOrder()
    {
        using var temp = new TempFolder();
        temp.Write("data/chat.jsonl", "{\"prompt\":\"a\",\"completion\":\"b\"}\n");
        temp.Write("data/faq.csv", "question,answer\nQ,A\n");
        var pipeline = temp.Write("p.yaml", """
            name: five
            inputs:
              - data/chat.jsonl
              - path: data/faq.csv
                delimiter: ""
                fields: { prompt: question, response: answer }
            stages:
              - normalize: { unicode: nfc, colour: red }
              - near-dedup: { threshold: high }
              - token-length: { tokenizer: cl100k_base, max_tokens: -5 }
            output:
              dir: out
              rejects: ../data/chat.jsonl
            """);

        var (exitCode, output, error) = await CliRunner.RunAsync("validate", pipeline);

        Assert.Equal(ExitCodes.UsageOrConfig, exitCode);
        Assert.Empty(output);
        Assert.Equal(
            [
                $"{pipeline}:5:16: inputs[2]: parameter 'delimiter': expected one or more characters (or 'tab'), got an empty string",
                $"{pipeline}:8:32: stage 'normalize': unknown parameter 'colour'; valid parameters: default_role_map, line_endings, name, role_map, strip_control, strip_zero_width, unicode, whitespace, workers",
                $"{pipeline}:9:30: stage 'near-dedup': parameter 'threshold': expected a number, got 'high'",
                $"{pipeline}:10:57: stage 'token-length': parameter 'max_tokens': expected an integer of at least 1, got -5",
                $"{pipeline}:13:12: output.rejects: {DisplayPath.For(temp.File("data/chat.jsonl"))} is the file {DisplayPath.For(temp.File("data/chat.jsonl"))} that inputs[1] reads; a run never writes over what it reads",
            ],
            error.TrimEnd().Split(Environment.NewLine));
    }

    [Fact]
    public async Task Validate_InputMatchesNothing_ExitsTwo()
    {
        using var temp = new TempFolder();
        var pipeline = temp.Write("p.yaml", "inputs:\n  - path: missing/*.jsonl\n");

        var (exitCode, _, error) = await CliRunner.RunAsync("validate", pipeline);

        Assert.Equal(ExitCodes.UsageOrConfig, exitCode);
        Assert.Contains("missing/*.jsonl", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("output: {format: parquet, compression: gzip}", "compression")]
    [InlineData("output: {format: alpaca}\nstages: [{normalize: {name: output-format}}]", "reserved")]
    [InlineData("inputs: [{path: d.csv, delimiter: ''}]", "delimiter")]
    [InlineData("output: {rejects: data.jsonl}", "a file name other than the data file's")]
    public async Task Validate_SettingsThatWouldOnlyFailAtRunTime_AreConfigErrors(string yaml, string expected)
    {
        using var temp = new TempFolder();
        temp.Write("d.csv", "prompt,completion\nQ,A\n");
        var pipeline = temp.Write("p.yaml", (yaml.StartsWith("inputs", StringComparison.Ordinal) ? string.Empty : "inputs: [d.csv]\n") + yaml + "\n");

        var (exitCode, _, error) = await CliRunner.RunAsync("validate", pipeline);

        Assert.Equal(ExitCodes.UsageOrConfig, exitCode);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public async Task Inspect_FormatOption_ListsTheNamesPipelinesUse()
    {
        var (exitCode, output, _) = await CliRunner.RunAsync("inspect", "--help");

        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.Contains("prompt-completion", output, StringComparison.Ordinal);
        Assert.DoesNotContain("PromptCompletion", output, StringComparison.Ordinal);
    }
}
