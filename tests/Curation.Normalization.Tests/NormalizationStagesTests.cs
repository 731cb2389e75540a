using Curation.Core.Config;
using Curation.Core.Conversations;
using Curation.Core.Stages;
using YamlDotNet.RepresentationModel;

namespace Curation.Normalization.Tests;

public class NormalizationStagesTests
{
    private static (object Options, List<ConfigError> Errors) Bind(Type type, string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var errors = new List<ConfigError>();
        var options = new OptionsBinder("pipeline.yaml", errors).Bind(type, stream.Documents[0].RootNode, "stage 'normalize'");
        return (options, errors);
    }

    [Fact]
    public void AddNormalizationStages_RegistersBothKinds()
    {
        var registry = new StageRegistry().AddNormalizationStages();

        Assert.True(registry.TryGet("normalize", out var normalize));
        Assert.True(registry.TryGet("validate", out var validate));
        Assert.Equal(typeof(NormalizeOptions), normalize.OptionsType);
        var stage = Assert.IsType<ValidateStage>(validate.Create(new ConversationRules(), new StageBuildContext("checks", ".", 42, ".")));
        Assert.Equal("checks", stage.Name);
    }

    [Fact]
    public void Bind_NormalizeOptions_FromSnakeCaseYaml()
    {
        var (bound, errors) = Bind(typeof(NormalizeOptions), """
            unicode: nfkc
            line_endings: keep
            strip_control: false
            strip_zero_width: false
            whitespace: collapse
            default_role_map: false
            role_map:
              customer: user
              Agent: assistant
            """);

        Assert.Empty(errors);
        var options = Assert.IsType<NormalizeOptions>(bound);
        Assert.Equal(UnicodeForm.Nfkc, options.Unicode);
        Assert.Equal(LineEndingMode.Keep, options.LineEndings);
        Assert.False(options.StripControl);
        Assert.False(options.StripZeroWidth);
        Assert.Equal(WhitespaceMode.Collapse, options.Whitespace);
        Assert.False(options.DefaultRoleMap);
        Assert.Equal("assistant", options.RoleMap["Agent"]);
        Assert.Equal("user", new NormalizeStage(options).Apply(TestRecords.Of(("CUSTOMER", "x"))).Record!.Messages[0].Role);
    }

    [Fact]
    public void Bind_BadEnumValue_ListsTheChoices()
    {
        var (_, errors) = Bind(typeof(NormalizeOptions), "unicode: nfd\nwhitespace: squash");

        Assert.Equal(2, errors.Count);
        Assert.Contains("expected one of nfc|nfkc|none, got 'nfd'", errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("expected one of trim|collapse|none, got 'squash'", errors[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_ValidateOptions_SwitchesNamedAfterRules()
    {
        var (bound, errors) = Bind(typeof(ConversationRules), "consecutive_roles: false\nlast_turn_not_assistant: true");

        Assert.Empty(errors);
        var options = Assert.IsType<ConversationRules>(bound);
        Assert.False(options.ConsecutiveRoles);
        Assert.True(options.LastTurnNotAssistant);
        Assert.True(options.EmptyTurn);
    }
}
