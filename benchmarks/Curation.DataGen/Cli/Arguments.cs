using System.Globalization;

namespace Curation.DataGen.Cli;

/// <summary>A verb followed by <c>--name value</c> options.</summary>
internal sealed class Arguments
{
    private readonly Dictionary<string, string> _options;

    private Arguments(string verb, Dictionary<string, string> options)
    {
        Verb = verb;
        _options = options;
    }

    public string Verb { get; }

    public static Arguments Parse(IReadOnlyList<string> args, IReadOnlyDictionary<string, string[]> verbs)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(verbs);
        if (args.Count == 0)
        {
            throw new UsageException("missing verb");
        }

        var verb = args[0];
        if (!verbs.TryGetValue(verb, out var allowed))
        {
            throw new UsageException($"unknown verb '{verb}'");
        }

        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i < args.Count; i++)
        {
            var name = args[i];
            if (!name.StartsWith("--", StringComparison.Ordinal) || !allowed.Contains(name[2..]))
            {
                throw new UsageException($"{verb}: unknown option '{name}' (expected one of {string.Join(", ", allowed.Select(a => "--" + a))})");
            }

            if (i + 1 >= args.Count)
            {
                throw new UsageException($"{verb}: option '{name}' needs a value");
            }

            options[name[2..]] = args[++i];
        }

        return new Arguments(verb, options);
    }

    public string Required(string name) =>
        _options.TryGetValue(name, out var value) ? value : throw new UsageException($"{Verb}: --{name} is required");

    public ulong Seed(ulong fallback)
    {
        if (!_options.TryGetValue("seed", out var text))
        {
            return fallback;
        }

        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seed)
            ? seed
            : throw new UsageException($"{Verb}: --seed expects a non-negative integer, got '{text}'");
    }

    public int Int(string name, int fallback, int min, int max)
    {
        if (!_options.TryGetValue(name, out var text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new UsageException($"{Verb}: --{name} expects an integer from {min} to {max}, got '{text}'");
    }
}
