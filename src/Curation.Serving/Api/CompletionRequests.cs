using Curation.Core.Records;

namespace Curation.Serving.Api;

/// <summary>What a completion request asks of generation, whatever the endpoint.</summary>
/// <param name="MaxTokens">Null: as many as the context and the server's limit allow.</param>
/// <param name="Seed">Null: a fresh seed per request.</param>
internal sealed record GenerationParameters(int? MaxTokens, double Temperature, double TopP, int TopK, long? Seed, IReadOnlyList<string> Stop, bool Stream, bool IncludeUsage);

/// <summary>A <c>POST /v1/chat/completions</c> body, checked.</summary>
internal sealed record ChatCompletionRequest(string Model, IReadOnlyList<Message> Messages, GenerationParameters Parameters);

/// <summary>A <c>POST /v1/completions</c> body, checked: one choice per prompt.</summary>
internal sealed record TextCompletionRequest(string Model, IReadOnlyList<string> Prompts, GenerationParameters Parameters);
