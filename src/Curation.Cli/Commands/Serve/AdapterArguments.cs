using Curation.Core;

namespace Curation.Cli.Commands.Serve;

/// <summary>An adapter to serve: its model name and its PEFT folder.</summary>
internal sealed record AdapterArgument(string Name, string Folder);

/// <summary>Reads <c>--adapter NAME=DIR</c> values (vLLM's <c>--lora-modules name=path</c>).</summary>
internal static class AdapterArguments
{
    /// <exception cref="CurationException">A value without NAME=DIR, or a name given twice.</exception>
    public static IReadOnlyList<AdapterArgument> Parse(IReadOnlyList<string> values)
    {
        var adapters = new List<AdapterArgument>();
        foreach (var value in values)
        {
            var equals = value.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || equals == value.Length - 1)
            {
                throw new CurationException($"--adapter: expected NAME=DIR (the model name clients ask for, then the adapter folder); got '{value}'");
            }

            var adapter = new AdapterArgument(value[..equals], Path.GetFullPath(value[(equals + 1)..]));
            if (adapters.Any(other => other.Name == adapter.Name))
            {
                throw new CurationException($"--adapter: the name '{adapter.Name}' is given twice");
            }

            adapters.Add(adapter);
        }

        return adapters;
    }
}
