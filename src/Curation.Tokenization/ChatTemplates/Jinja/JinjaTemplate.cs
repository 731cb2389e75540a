using Curation.Tokenization.ChatTemplates.Jinja.Runtime;
using Curation.Tokenization.ChatTemplates.Jinja.Syntax;

namespace Curation.Tokenization.ChatTemplates.Jinja;

/// <summary>
/// A Jinja template parsed once and rendered many times, in the environment Hugging Face renders chat templates with
/// (<c>ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)</c>, loop controls, <c>{% generation %}</c>,
/// its <c>tojson</c>, <c>raise_exception</c> and <c>strftime_now</c>). Nothing in the language reaches files or the
/// network; <see cref="RenderLimits"/> bounds loops, macro recursion and output. Safe to render from several threads.
/// </summary>
internal sealed class JinjaTemplate
{
    private readonly IReadOnlyList<Statement> _body;

    private JinjaTemplate(IReadOnlyList<Statement> body, bool marksGeneration)
    {
        _body = body;
        MarksGeneration = marksGeneration;
    }

    /// <summary>Whether the template has <c>{% generation %}</c> blocks around what the assistant writes.</summary>
    public bool MarksGeneration { get; }

    /// <exception cref="TemplateSyntaxException">Not valid Jinja, or a part of Jinja chat templates are not rendered with.</exception>
    public static JinjaTemplate Parse(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var body = Parser.Parse(source);
        return new JinjaTemplate(body, source.Contains("generation", StringComparison.Ordinal) && HasGeneration(body));
    }

    /// <exception cref="TemplateRenderException">The template failed while rendering.</exception>
    public RenderOutput Render(IEnumerable<KeyValuePair<string, Value>> variables, RenderLimits limits, Func<DateTime> now) =>
        Evaluator.Render(_body, variables, limits, now);

    private static bool HasGeneration(IEnumerable<Statement> body) => body.Any(statement => statement switch
    {
        GenerationStatement => true,
        IfStatement conditional => conditional.Branches.Any(branch => HasGeneration(branch.Body)) || HasGeneration(conditional.Otherwise),
        ForStatement loop => HasGeneration(loop.Body) || HasGeneration(loop.Otherwise),
        MacroStatement macro => HasGeneration(macro.Body),
        CallBlockStatement call => HasGeneration(call.Body),
        FilterBlockStatement filter => HasGeneration(filter.Body),
        WithStatement with => HasGeneration(with.Body),
        BlockSetStatement set => HasGeneration(set.Body),
        _ => false,
    });
}
