using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Curation.Core;
using Curation.Core.Records;
using Curation.Tokenization.ChatTemplates.Jinja;
using Curation.Tokenization.ChatTemplates.Jinja.Runtime;
using Curation.Tokenization.ChatTemplates.Jinja.Syntax;

namespace Curation.Tokenization.ChatTemplates;

/// <summary>
/// A model's own chat template, the Jinja <c>chat_template</c> of its tokenizer, rendered as
/// <c>tokenizer.apply_chat_template</c> renders it: the variables <c>messages</c>, <c>tools</c>, <c>documents</c>,
/// <c>add_generation_prompt</c>, the tokenizer's special tokens (<c>bos_token</c>, <c>eos_token</c>, ...) and any
/// further template variables (<c>enable_thinking</c>). Where each message lands is found by rendering the
/// conversation's prefixes and aligning them with the whole. Safe to use from several threads.
/// </summary>
public sealed class JinjaChatTemplate : ChatTemplate
{
    private readonly JinjaTemplate _template;
    private readonly IReadOnlyList<KeyValuePair<string, Value>> _variables;
    private readonly ConcurrentDictionary<string, (string Prefix, string Suffix)> _markers = new(StringComparer.Ordinal);

    private JinjaChatTemplate(JinjaTemplate template, string source, string origin, IReadOnlyList<KeyValuePair<string, Value>> variables, TimeProvider clock, RenderLimits limits)
        : base(ShortName(origin))
    {
        _template = template;
        Source = source;
        Origin = origin;
        _variables = variables;
        Clock = clock;
        Limits = limits;
    }

    /// <summary>Where the template came from (the tokenizer_config.json or chat_template.jinja path), for messages.</summary>
    public string Origin { get; }

    /// <summary>The clock <c>strftime_now</c> reads (Llama 3.1's template writes today's date).</summary>
    public TimeProvider Clock { get; }

    /// <summary>Whether the template marks what the assistant writes with <c>{% generation %}</c> blocks.</summary>
    public bool MarksGeneration => _template.MarksGeneration;

    internal RenderLimits Limits { get; }

    /// <summary>The template's Jinja text, as read.</summary>
    internal string Source { get; }

    /// <summary>Names of the variables passed to every rendering besides the conversation (special tokens, template arguments).</summary>
    internal IEnumerable<string> VariableNames => _variables.Select(variable => variable.Key);

    /// <summary>Parses a template; <paramref name="variables"/> are passed to every rendering (special tokens, template arguments).</summary>
    /// <exception cref="CurationException">The template is not valid Jinja or uses what chat templates are not rendered with: one line with the origin, line and column.</exception>
    public static JinjaChatTemplate Parse(string source, string origin, JsonObject? variables = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(origin);
        JinjaTemplate template;
        try
        {
            template = JinjaTemplate.Parse(source);
        }
        catch (TemplateSyntaxException ex)
        {
            throw new CurationException($"{origin}: chat_template {ex.Position}: {ex.Message}", ex);
        }

        return new JinjaChatTemplate(template, source, origin, Convert(variables), TimeProvider.System, RenderLimits.Default);
    }

    /// <summary>The same template with further variables (they replace ones of the same name).</summary>
    public JinjaChatTemplate WithVariables(JsonObject variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var added = Convert(variables);
        var names = added.Select(v => v.Key).ToHashSet(StringComparer.Ordinal);
        return new JinjaChatTemplate(_template, Source, Origin, [.. _variables.Where(v => !names.Contains(v.Key)), .. added], Clock, Limits);
    }

    /// <summary>The same template reading the time from <paramref name="clock"/>.</summary>
    public JinjaChatTemplate WithClock(TimeProvider clock) => new(_template, Source, Origin, _variables, clock ?? throw new ArgumentNullException(nameof(clock)), Limits);

    internal JinjaChatTemplate WithLimits(RenderLimits limits) => new(_template, Source, Origin, _variables, Clock, limits);

    /// <summary>
    /// The text for messages as Hugging Face takes them (with <c>tool_calls</c>, <c>reasoning_content</c> and
    /// whatever else the template reads), and the tools and documents to offer.
    /// </summary>
    /// <exception cref="ChatTemplateException">The template failed on this conversation.</exception>
    public string RenderText(JsonArray messages, bool addGenerationPrompt = false, JsonArray? tools = null, JsonArray? documents = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return RenderValues(
            ValueConversion.FromJson(messages),
            addGenerationPrompt,
            tools is null ? NoneValue.Instance : ValueConversion.FromJson(tools),
            documents is null ? NoneValue.Instance : ValueConversion.FromJson(documents)).Text;
    }

    /// <exception cref="ChatTemplateException">The template failed on this conversation (its raise_exception, a limit).</exception>
    public override RenderedChat Render(IReadOnlyList<Message> messages, bool addGenerationPrompt = false)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var values = messages.Select(ToValue).ToArray();
        var full = Render(values, messages.Count, addGenerationPrompt);
        var withoutPrompt = addGenerationPrompt ? Render(values, messages.Count, false).Text : full.Text;
        var located = TurnLocator.Locate(messages, full.Text, withoutPrompt, (count, prompt) => TryRender(values, count, prompt));
        return new RenderedChat(full.Text, located) { Generated = MarksGeneration ? [.. full.Generation.Select(r => new TextSpan(r.Start.Value, r.End.Value))] : null };
    }

    public override string TurnPrefix(string role) => Markers(role).Prefix;

    public override string TurnSuffix(string role) => Markers(role).Suffix;

    public override string ToString() => Origin;

    /// <summary>The template file and its folder (<c>Qwen3-0.6B/tokenizer_config.json</c>), for reports.</summary>
    private static string ShortName(string origin)
    {
        var folder = Path.GetFileName(Path.GetDirectoryName(origin));
        return string.IsNullOrEmpty(folder) ? Path.GetFileName(origin) : $"{folder}/{Path.GetFileName(origin)}";
    }

    private static List<KeyValuePair<string, Value>> Convert(JsonObject? variables) =>
        variables is null ? [] : [.. variables.Select(v => KeyValuePair.Create(v.Key, ValueConversion.FromJson(v.Value)))];

    private static DictValue ToValue(Message message)
    {
        var entries = new List<KeyValuePair<Value, Value>>(3)
        {
            KeyValuePair.Create<Value, Value>(new StringValue("role"), new StringValue(message.Role)),
            KeyValuePair.Create<Value, Value>(new StringValue("content"), new StringValue(message.Content)),
        };
        if (message.Name is { } name)
        {
            entries.Add(KeyValuePair.Create<Value, Value>(new StringValue("name"), new StringValue(name)));
        }

        return new DictValue(entries);
    }

    private RenderOutput Render(Value[] messages, int count, bool addGenerationPrompt) =>
        RenderValues(new ListValue(count == messages.Length ? messages : messages[..count]), addGenerationPrompt, NoneValue.Instance, NoneValue.Instance);

    private string? TryRender(Value[] messages, int count, bool addGenerationPrompt)
    {
        try
        {
            return Render(messages, count, addGenerationPrompt).Text;
        }
        catch (ChatTemplateException)
        {
            return null;
        }
    }

    private RenderOutput RenderValues(Value messages, bool addGenerationPrompt, Value tools, Value documents)
    {
        List<KeyValuePair<string, Value>> variables =
        [
            KeyValuePair.Create("messages", messages),
            KeyValuePair.Create("tools", tools),
            KeyValuePair.Create("documents", documents),
            KeyValuePair.Create<string, Value>("add_generation_prompt", BoolValue.Of(addGenerationPrompt)),
            .. _variables,
        ];
        try
        {
            return _template.Render(variables, Limits, () => Clock.GetLocalNow().DateTime);
        }
        catch (TemplateRenderException ex)
        {
            var where = ex.Position is { } position ? $"chat_template {position}" : "chat_template";
            throw new ChatTemplateException(
                ex.RaisedByTemplate ? $"{Origin}: the chat template refuses the conversation: {ex.Message}"
                : ex is TemplateLimitException ? $"{Origin}: {where}: rendering stopped: {ex.Message}"
                : $"{Origin}: {where}: {ex.Message}",
                ex);
        }
    }

    /// <summary>What the template writes around a turn of the role, read off a short sample conversation; empty where that fails.</summary>
    private (string Prefix, string Suffix) Markers(string role) => _markers.GetOrAdd(role, r =>
    {
        Message[] sample = r switch
        {
            Roles.System => [new(Roles.System, "Be brief."), new(Roles.User, "Hello.")],
            Roles.Tool => [new(Roles.User, "Hello."), new(Roles.Tool, "42")],
            Roles.User => [new(Roles.User, "Hello.")],
            _ => [new(Roles.User, "Hello."), new(r, "Hi there.")],
        };
        try
        {
            var rendered = Render(sample);
            var turn = rendered.Turns.LastOrDefault(t => t.Role == r);
            return turn == default ? (string.Empty, string.Empty) : (rendered.Text[turn.Start..turn.ContentStart], rendered.Text[turn.ContentEnd..turn.End]);
        }
        catch (ChatTemplateException)
        {
            return (string.Empty, string.Empty);
        }
    });
}
