using Curation.Evaluation.Arms;
using Curation.Evaluation.Config;
using Curation.Evaluation.Resilience;

namespace Curation.Evaluation.Runs;

/// <summary>Builds each configured arm: <c>local</c> arms run in this process, <c>api</c> arms call their endpoint.</summary>
internal static class ArmFactory
{
    public static IEvalArm Create(ArmOptions options, TimeProvider time, HttpMessageHandler? handler = null)
    {
        if (options.Local is { } local)
        {
            return new LocalArm(options.Name!, local, time);
        }

        var api = options.Api!;
        var baseUrl = Uri.TryCreate(api.BaseUrl, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new Core.CurationException($"arm '{options.Name}': api.base_url: expected an http(s) URL such as http://127.0.0.1:8000/v1, got '{api.BaseUrl}'");
        var settings = new ApiArmSettings(options.Name!, new ApiTarget(baseUrl, api.Model!, api.ApiKeyEnv))
        {
            Stream = api.Stream,
            Fallbacks = api.Fallback.Select(entry => FallbackOf(options.Name!, entry, baseUrl, api.ApiKeyEnv)).ToArray(),
            Resilience = new ResilienceSettings
            {
                Timeout = TimeSpan.FromSeconds(api.TimeoutSeconds),
                MaxRetries = api.Retries,
                MaxConcurrency = api.Concurrency,
            },
        };
        settings.Resilience.Validate(options.Name!);
        return new ApiArm(settings, time, handler);
    }

    /// <summary>A fallback: a model on the arm's endpoint, or <c>URL#MODEL</c> on another (with the same key variable).</summary>
    private static ApiTarget FallbackOf(string arm, string entry, Uri baseUrl, string? keyVariable)
    {
        var hash = entry.LastIndexOf('#');
        if (hash < 0)
        {
            return new ApiTarget(baseUrl, entry, keyVariable);
        }

        return Uri.TryCreate(entry[..hash], UriKind.Absolute, out var other) && (other.Scheme == Uri.UriSchemeHttp || other.Scheme == Uri.UriSchemeHttps) && hash < entry.Length - 1
            ? new ApiTarget(other, entry[(hash + 1)..], keyVariable)
            : throw new Core.CurationException($"arm '{arm}': api.fallback: expected MODEL or URL#MODEL (e.g. http://127.0.0.1:8001/v1#tiny), got '{entry}'");
    }

    /// <summary>Sequences that share the machine when the arm answers: the batch of a local arm, 1 for an API arm.</summary>
    public static int SharedBy(ArmOptions options) => options.Local?.BatchSize ?? 1;

    public static string KindOf(ArmOptions options) => options.Local is null ? "api" : "local";

    public static string ModelOf(ArmOptions options) =>
        options.Local is { } local
            ? ShortPath(local.Model!) + (local.Adapter is { } adapter ? " + " + ShortPath(adapter) : string.Empty)
            : options.Api!.Model!;

    // A training run's folders are named model/ and adapter/: the folder above says which run.
    private static string ShortPath(string folder)
    {
        var trimmed = folder.TrimEnd(Path.DirectorySeparatorChar);
        var name = Path.GetFileName(trimmed);
        return name is "model" or "adapter" or "merged" && Path.GetFileName(Path.GetDirectoryName(trimmed)) is { Length: > 0 } run ? $"{run}/{name}" : name;
    }
}
