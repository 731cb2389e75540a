using Curation.Evaluation.Resilience;

namespace Curation.Evaluation.Arms;

/// <summary>
/// A model behind an OpenAI-compatible endpoint (OpenAI, vLLM, Ollama, llama.cpp server, <c>curate serve</c>).
/// </summary>
/// <param name="BaseUrl">The API root that <c>chat/completions</c> is under, e.g. <c>http://127.0.0.1:8000/v1</c>.</param>
/// <param name="Model">The model name the endpoint knows.</param>
/// <param name="ApiKeyVariable">The environment variable holding the API key; null for an endpoint that takes none.</param>
internal sealed record ApiTarget(Uri BaseUrl, string Model, string? ApiKeyVariable = null)
{
    /// <summary>Endpoint and model, as cache keys name what answered.</summary>
    public string Identity => $"{BaseUrl.AbsoluteUri.TrimEnd('/')}#{Model}";
}

/// <summary>An arm that asks an OpenAI-compatible endpoint, then each fallback in turn for a call it cannot answer.</summary>
/// <param name="Name">The arm's name in the config and reports.</param>
/// <param name="Target">The endpoint and model the arm is about.</param>
internal sealed record ApiArmSettings(string Name, ApiTarget Target)
{
    /// <summary>Whether answers are streamed (server-sent events); a stream cut mid-answer is then a <c>stream-cut</c> failure.</summary>
    public bool Stream { get; init; }

    /// <summary>Cheaper models, on the same endpoint or another, asked in order once the arm's own model failed a call.</summary>
    public IReadOnlyList<ApiTarget> Fallbacks { get; init; } = [];

    public ResilienceSettings Resilience { get; init; } = new();
}
