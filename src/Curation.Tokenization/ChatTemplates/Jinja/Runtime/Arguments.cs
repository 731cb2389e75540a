namespace Curation.Tokenization.ChatTemplates.Jinja.Runtime;

/// <summary>The arguments of a call: positional, then named, as Python passes them.</summary>
internal sealed class Arguments(IReadOnlyList<Value> positional, IReadOnlyList<KeyValuePair<string, Value>> named)
{
    public static Arguments None { get; } = new([], []);

    public IReadOnlyList<Value> Positional { get; } = positional;

    public IReadOnlyList<KeyValuePair<string, Value>> Named { get; } = named;

    public static Arguments Of(params Value[] positional) => new(positional, []);

    /// <summary>
    /// The values for <paramref name="parameters"/> in order, from position or name; null where not given.
    /// </summary>
    /// <exception cref="TemplateRenderException">Too many arguments, an unknown or repeated name.</exception>
    public Value?[] Bind(string callee, params string[] parameters)
    {
        if (Positional.Count > parameters.Length)
        {
            throw new TemplateRenderException($"{callee}() takes at most {parameters.Length} arguments ({Positional.Count} given)");
        }

        var bound = new Value?[parameters.Length];
        for (var i = 0; i < Positional.Count; i++)
        {
            bound[i] = Positional[i];
        }

        foreach (var (name, value) in Named)
        {
            var index = Array.IndexOf(parameters, name);
            if (index < 0)
            {
                throw new TemplateRenderException($"{callee}() got an unexpected keyword argument '{name}'");
            }

            if (bound[index] is not null)
            {
                throw new TemplateRenderException($"{callee}() got multiple values for argument '{name}'");
            }

            bound[index] = value;
        }

        return bound;
    }

    /// <summary>The arguments with <paramref name="first"/> put before the positional ones.</summary>
    public Arguments Prepend(Value first) => new([first, .. Positional], Named);

    /// <summary>The positional arguments from <paramref name="skip"/> on, and all named ones.</summary>
    public Arguments Skip(int skip) => new([.. Positional.Skip(skip)], Named);
}
