using Curation.Core.Config;
using Curation.Core.Records;

namespace Curation.Core.Tests.Config;

public sealed class ConfigNamesTests
{
    [Theory]
    [InlineData("MaxLength", "max_length")]
    [InlineData("Dir", "dir")]
    [InlineData("NoAssistantTurn", "no_assistant_turn")]
    [InlineData("IPv4Address", "i_pv4_address")]
    [InlineData("MinHashBands", "min_hash_bands")]
    public void ForProperty_PascalCase_IsSnakeCase(string property, string expected) =>
        Assert.Equal(expected, ConfigNames.ForProperty(property));

    [Fact]
    public void EnumChoices_UseEnumMemberValuesOrKebabCase() =>
        Assert.Equal(["auto", "alpaca", "sharegpt", "openai", "prompt-completion", "text"], ConfigNames.EnumChoices(typeof(InputFormat)));

    [Theory]
    [InlineData("prompt-completion", InputFormat.PromptCompletion)]
    [InlineData("PromptCompletion", InputFormat.PromptCompletion)]
    [InlineData("ShareGPT", InputFormat.ShareGpt)]
    public void TryParseEnum_ConfigOrCSharpName_Parses(string text, InputFormat expected)
    {
        Assert.True(ConfigNames.TryParseEnum(typeof(InputFormat), text, out var value));
        Assert.Equal(expected, value);
    }
}
