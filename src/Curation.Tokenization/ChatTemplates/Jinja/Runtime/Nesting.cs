namespace Curation.Tokenization.ChatTemplates.Jinja.Runtime;

/// <summary>
/// Bounds on nested values, so that a template cannot build a list deep enough to overflow the stack when it is
/// written or compared, and a namespace that holds itself is written as Python writes a cycle.
/// </summary>
internal static class Nesting
{
    public const int MaxDepth = 200;

    [ThreadStatic]
    private static HashSet<Value>? t_writing;

    /// <exception cref="TemplateLimitException">The items are nested <see cref="MaxDepth"/> levels deep.</exception>
    public static int DepthOf(IEnumerable<Value> items)
    {
        var deepest = 0;
        foreach (var item in items)
        {
            deepest = Math.Max(deepest, item switch
            {
                ListValue list => list.Depth,
                DictValue dict => dict.Depth,
                _ => 0,
            });
        }

        return deepest + 1 > MaxDepth
            ? throw new TemplateLimitException($"lists and dicts nested more than {MaxDepth} levels deep")
            : deepest + 1;
    }

    /// <summary>Writes <paramref name="value"/> with <paramref name="write"/>, or <paramref name="cycle"/> when it is already being written.</summary>
    public static string Guard(Value value, Func<string> write, string cycle = "...")
    {
        t_writing ??= new HashSet<Value>(ReferenceEqualityComparer.Instance);
        if (!t_writing.Add(value))
        {
            return cycle;
        }

        if (t_writing.Count > MaxDepth)
        {
            t_writing.Remove(value);
            throw new TemplateLimitException($"values nested more than {MaxDepth} levels deep");
        }

        try
        {
            return write();
        }
        finally
        {
            t_writing.Remove(value);
        }
    }
}
