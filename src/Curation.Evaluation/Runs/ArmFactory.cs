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
            Fallbacks = api.Fallback.Select(model => new ApiTarget(baseUrl, model, api.ApiKeyEnv)).ToArray(),
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
