using Curation.Core;

namespace Curation.Evaluation.Metrics;

/// <summary>The deterministic metrics by the names configs and gates use.</summary>
internal static class MetricCatalog
{
    private static readonly Dictionary<string, Func<string?, IMetric>> Factories = new(StringComparer.Ordinal)
    {
        ["exact_match"] = _ => new ExactMatchMetric(),
        ["normalized_match"] = _ => new NormalizedMatchMetric(),
        ["contains"] = _ => new ContainsMetric(),
        ["regex"] = pattern => new RegexMetric(pattern),
        ["token_f1"] = _ => new TokenF1Metric(),
        ["rouge_l"] = _ => new RougeLMetric(),
        ["json_valid"] = _ => new JsonValidMetric(),
        ["json_schema"] = _ => new JsonSchemaMetric(),
        ["multiple_choice"] = _ => new MultipleChoiceMetric(),
    };

    /// <summary>Every known name, in the order the documentation lists them.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Factories.Keys];

    /// <summary>The metric called <paramref name="name"/>; <paramref name="pattern"/> is the regex metric's own pattern.</summary>
    /// <exception cref="CurationException">An unknown name, a pattern given to a metric other than regex, or an invalid pattern.</exception>
    public static IMetric Create(string name, string? pattern = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!Factories.TryGetValue(name, out var factory))
        {
            throw new CurationException($"unknown metric '{name}'; known metrics: {string.Join(", ", Names)}");
        }

        if (pattern is not null && name != "regex")
        {
            throw new CurationException($"metric '{name}' takes no pattern; only regex does");
        }

        return factory(pattern);
    }

    /// <summary>The metrics called <paramref name="names"/>, in that order.</summary>
    /// <exception cref="CurationException">As <see cref="Create(string, string?)"/>, or a name given twice.</exception>
    public static IReadOnlyList<IMetric> Create(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var metrics = new List<IMetric>();
        foreach (var name in names)
        {
            if (metrics.Any(m => m.Name == name))
            {
                throw new CurationException($"metric '{name}' is listed twice");
            }

            metrics.Add(Create(name));
        }

        return metrics;
    }
}
