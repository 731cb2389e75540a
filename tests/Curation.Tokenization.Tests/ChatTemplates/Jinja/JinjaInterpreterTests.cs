using System.Text.Json.Nodes;
using Curation.Core;
using Curation.Core.Records;
using Curation.Tokenization.ChatTemplates;
using Curation.Tokenization.ChatTemplates.Jinja;
using Curation.Tokenization.ChatTemplates.Jinja.Runtime;
using Curation.Tokenization.ChatTemplates.Jinja.Syntax;

namespace Curation.Tokenization.Tests.ChatTemplates.Jinja;

/// <summary>The interpreter's own behaviour where Python has nothing to compare with: positions of errors, limits, the sandbox.</summary>
public sealed class JinjaInterpreterTests
{
    private const string Origin = "/models/m/tokenizer_config.json";

    private static string Render(string template, string context = "{}", RenderLimits? limits = null)
    {
        var variables = JsonNode.Parse(context)!.AsObject().Select(p => KeyValuePair.Create(p.Key, ValueConversion.FromJson(p.Value))).ToList();
        return JinjaTemplate.Parse(template).Render(variables, limits ?? RenderLimits.Default, () => new DateTime(2025, 3, 5, 14, 7, 9, DateTimeKind.Local)).Text;
    }

    [Theory]
    [InlineData("{% if x %}\n  {{ 1 + }}\n{% endif %}", 2, 10, "unexpected '}}'")]
    [InlineData("{% for m in messages %}{{ m }}", 1, 31, "expected '{% endfor %}' or '{% else %}'")]
    [InlineData("ok\n{% endif %}", 2, 4, "unknown tag 'endif'")]
    [InlineData("{{ 'unterminated }}", 1, 4, "unterminated string")]
    [InlineData("{% include 'other.jinja' %}", 1, 4, "not supported")]
    [InlineData("{{ x | random }}", 1, 8, "'random' filter is not supported")]
    [InlineData("{% for x in xs recursive %}{% endfor %}", 1, 16, "recursive loops are not supported")]
    [InlineData("{{ (1 }}", 1, 7, "unexpected '}'")]
    public void SyntaxErrors_SayWhere(string template, int line, int column, string message)
    {
        var error = Assert.Throws<TemplateSyntaxException>(() => JinjaTemplate.Parse(template));

        Assert.Equal(new SourcePosition(line, column), error.Position);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SyntaxError_OfAChatTemplate_IsOneLineWithTheSourceLineAndColumn()
    {
        var error = Assert.Throws<CurationException>(() => JinjaChatTemplate.Parse("{%- for m in messages %}\n{{ m.content + }}\n{% endfor %}", Origin));

        Assert.Equal($"{Origin}: chat_template line 2, column 16: unexpected '}}}}'", error.Message);
    }

    [Fact]
    public void RenderErrors_NameTheTemplateAndLine_RaiseExceptionSaysTheTemplatesOwnMessage()
    {
        var strict = JinjaChatTemplate.Parse("{% for m in messages %}\n{% if m.role == 'system' %}{{ raise_exception('System role not supported') }}{% endif %}{{ m.content.missing.deeper }}{% endfor %}", Origin);

        var refused = Assert.Throws<ChatTemplateException>(() => strict.Render([new(Roles.System, "s")]));
        var failed = Assert.Throws<ChatTemplateException>(() => strict.Render([new(Roles.User, "u")]));

        Assert.Equal($"{Origin}: the chat template refuses the conversation: System role not supported", refused.Message);
        Assert.StartsWith($"{Origin}: chat_template line 2, column", failed.Message, StringComparison.Ordinal);
        Assert.EndsWith("'str object' has no attribute 'missing'", failed.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{% for i in range(1000) %}{% for j in range(1000) %}{% for k in range(10) %}{% endfor %}{% endfor %}{% endfor %}", "loops ran over the limit of 1000000 iterations")]
    [InlineData("{% macro down(n) %}{{ down(n + 1) }}{% endmacro %}{{ down(0) }}", "macro calls nested over the limit of 64")]
    [InlineData("{{ range(1000000) | length }}", "range() of 1000000 items is over the limit of 100000")]
    [InlineData("{{ 'x' * 100000000 }}", "a value of 100000000 characters or items is over the output limit")]
    [InlineData("{% for i in range(100000) %}{{ 'abcdefghij' * 10 }}{% endfor %}", "the output is over the limit of 4194304 characters")]
    [InlineData("{{ 'x'.center(1000000000) }}", "center width of 1000000000 is over the limit of 4194304")]
    [InlineData("{{ 'a\\nb' | indent(1000000000) }}", "indent width of 1000000000 is over the limit")]
    [InlineData("{{ '{:>999999999}'.format('x') }}", "format width of 999999999 is over the limit")]
    [InlineData("{% set ns = namespace(x=[]) %}{% for i in range(300) %}{% set ns.x = [ns.x] %}{% endfor %}", "nested more than 200 levels deep")]
    public void Limits_StopARunawayTemplate(string template, string message)
    {
        var error = Assert.ThrowsAny<TemplateRenderException>(() => Render(template));

        Assert.IsType<TemplateLimitException>(error);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Limits_OfAChatTemplate_AreOneLineNamingTheTemplateAndTheLimit()
    {
        var template = JinjaChatTemplate.Parse("{% for m in messages %}{{ m.content * 1000 }}{% endfor %}", Origin).WithLimits(RenderLimits.Default with { MaxOutputLength = 5_000 });

        var error = Assert.Throws<ChatTemplateException>(() => template.Render([new(Roles.User, "0123456789")]));

        Assert.Equal($"{Origin}: chat_template line 1, column 37: rendering stopped: a value of 10000 characters or items is over the output limit of 5000", error.Message);
    }

    [Fact]
    public void Namespace_HoldingItself_IsWrittenAsACycle()
    {
        Assert.Equal("<Namespace {'me': <Namespace {...}>}>", Render("{% set ns = namespace() %}{% set ns.me = ns %}{{ ns }}"));
    }

    [Fact]
    public void StrftimeNow_ReadsTheGivenClock()
    {
        Assert.Equal("05 Mar 2025|5|Wednesday 14:07:09|064|02:07 PM", Render("{{ strftime_now('%d %b %Y') }}|{{ strftime_now('%-d') }}|{{ strftime_now('%A %H:%M:%S') }}|{{ strftime_now('%j') }}|{{ strftime_now('%I:%M %p') }}"));
    }

    [Fact]
    public void ChatTemplate_StrftimeNow_UsesItsClock()
    {
        var template = JinjaChatTemplate.Parse("{{ strftime_now('%d %b %Y') }}", Origin).WithClock(new FixedClock(new DateTimeOffset(2024, 12, 31, 23, 0, 0, TimeSpan.Zero)));

        Assert.Equal("31 Dec 2024", template.Render([]).Text);
    }

    [Fact]
    public void Variables_ReachTheTemplate_AndLaterOnesReplaceEarlier()
    {
        var template = JinjaChatTemplate.Parse("{{ bos_token }}{{ enable_thinking }}{{ tools is none }}{{ documents is none }}{{ add_generation_prompt }}", Origin, new JsonObject { ["bos_token"] = "<s>", ["enable_thinking"] = true })
            .WithVariables(new JsonObject { ["enable_thinking"] = false });

        Assert.Equal("<s>FalseTrueTrueTrue", template.Render([], addGenerationPrompt: true).Text);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;

        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }
}
