using Curation.Core.Records;
using Curation.Core.Stages;

namespace Curation.Core.Tests.Stages;

public sealed class StageRegistryTests
{
    public sealed class NoOptions;

    private sealed class PassStage(string name) : IRecordStage
    {
        public string Name => name;

        public StageResult Apply(ChatRecord record) => StageResult.Keep(record);
    }

    private static StageRegistry Register(string kind, params string[] rules) =>
        new StageRegistry().Register<NoOptions>(kind, "passes everything", rules, (_, context) => new PassStage(context.Name));

    [Fact]
    public void Register_KeepsTheDeclaredRules_InOrder()
    {
        var registry = Register("pass-all", "too-long", "too-short");

        Assert.True(registry.TryGet("pass-all", out var descriptor));
        Assert.Equal(["too-long", "too-short"], descriptor.Rules);
    }

    [Theory]
    [InlineData("Pass", "stage kind 'Pass' is not kebab-case")]
    [InlineData("pass_all", "stage kind 'pass_all' is not kebab-case")]
    [InlineData("pass--all", "stage kind 'pass--all' is not kebab-case")]
    public void Register_AKindNotInKebabCase_IsRefused(string kind, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => Register(kind));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tooLong", "stage 'pass': rule 'tooLong' is not kebab-case")]
    [InlineData("too long", "stage 'pass': rule 'too long' is not kebab-case")]
    [InlineData("stage-error", "stage 'pass': 'stage-error' is the runtime's rule, not a stage's")]
    public void Register_ARuleNotAStagesOwnKebabCaseName_IsRefused(string rule, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => Register("pass", "fine", rule));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Register_ARuleListedTwice_IsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => Register("pass", "too-long", "too-long"));

        Assert.StartsWith("stage 'pass': rule 'too-long' is listed twice", error.Message, StringComparison.Ordinal);
    }
}
