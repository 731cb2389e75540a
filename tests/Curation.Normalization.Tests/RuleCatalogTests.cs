using System.Reflection;
using System.Text.RegularExpressions;
using Curation.Core.Conversations;

namespace Curation.Normalization.Tests;

public class RuleCatalogTests
{
    [Fact]
    public void Rules_ListEveryRuleName()
    {
        var names = typeof(ConversationRuleNames).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!);

        Assert.Equal(names.Order(), RuleCatalog.Rules.Select(r => r.Name).Distinct().Order());
    }

    [Fact]
    public void Rules_AreKebabCaseUniquePerStageAndDescribed()
    {
        Assert.All(RuleCatalog.Rules, rule =>
        {
            Assert.Matches(new Regex("^[a-z]+(-[a-z]+)*$"), rule.Name);
            Assert.Contains(rule.Stage, new[] { StageKinds.Normalize, StageKinds.Validate });
            Assert.False(string.IsNullOrWhiteSpace(rule.Description));
        });
        Assert.Equal(RuleCatalog.Rules.Count, RuleCatalog.Rules.Select(r => (r.Name, r.Stage)).Distinct().Count());
    }

    [Fact]
    public void Rules_ValidateRulesMatchTheOptionSwitches()
    {
        var defaults = new ConversationRules();
        foreach (var rule in RuleCatalog.Rules.Where(r => r.Stage == StageKinds.Validate))
        {
            var propertyName = string.Concat(rule.Name.Split('-').Select(part => char.ToUpperInvariant(part[0]) + part[1..]));
            var property = typeof(ConversationRules).GetProperty(propertyName);
            Assert.NotNull(property);
            Assert.Equal(rule.EnabledByDefault, (bool)property.GetValue(defaults)!);
        }
    }
}
