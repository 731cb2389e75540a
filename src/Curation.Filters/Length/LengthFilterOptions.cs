using System.ComponentModel.DataAnnotations;

namespace Curation.Filters.Length;

/// <summary>Options of the <c>token-length</c> stage. Every limit is optional; set at least one.</summary>
public sealed class LengthFilterOptions : IValidatableObject
{
    /// <summary>
    /// A named encoding (gpt2, r50k_base, cl100k_base, o200k_base) or a model folder (relative to the pipeline file)
    /// with tokenizer.json or tokenizer.model.
    /// </summary>
    [Required]
    public string? Tokenizer { get; init; }

    /// <summary>chatml, llama3, mistral, gemma, phi3, plain, or auto: the model folder's own template, chatml for a named encoding.</summary>
    public string Template { get; init; } = "auto";

    /// <summary>Variables for the model's own template, as apply_chat_template's keyword arguments (<c>enable_thinking: false</c>).</summary>
    public Dictionary<string, string> TemplateArgs { get; init; } = [];

    /// <summary>Fewest tokens in the rendered conversation.</summary>
    [Range(0, int.MaxValue)]
    public int? MinTokens { get; init; }

    /// <summary>Most tokens in the rendered conversation: the model's context length.</summary>
    [Range(1, int.MaxValue)]
    public int? MaxTokens { get; init; }

    /// <summary>Most tokens in any one turn.</summary>
    [Range(1, int.MaxValue)]
    public int? MaxTurnTokens { get; init; }

    /// <summary>Most tokens before the last assistant turn.</summary>
    [Range(1, int.MaxValue)]
    public int? MaxPromptTokens { get; init; }

    /// <summary>Fewest tokens in the last assistant turn.</summary>
    [Range(0, int.MaxValue)]
    public int? MinResponseTokens { get; init; }

    /// <summary>What happens to a conversation over <c>max_tokens</c>: drop it, or truncate its oldest turns.</summary>
    public OverLengthPolicy OnExceed { get; init; } = OverLengthPolicy.Drop;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MinTokens is null && MaxTokens is null && MaxTurnTokens is null && MaxPromptTokens is null && MinResponseTokens is null)
        {
            yield return new ValidationResult("set at least one of min_tokens, max_tokens, max_turn_tokens, max_prompt_tokens, min_response_tokens", [nameof(MaxTokens)]);
        }

        if (MinTokens is { } min && MaxTokens is { } max && min > max)
        {
            yield return new ValidationResult($"min_tokens ({min}) is above max_tokens ({max})", [nameof(MinTokens)]);
        }

        if (OnExceed == OverLengthPolicy.Truncate && MaxTokens is null)
        {
            yield return new ValidationResult("'on_exceed: truncate' needs max_tokens", [nameof(OnExceed)]);
        }
    }
}

/// <summary>What the <c>token-length</c> stage does with a conversation longer than <c>max_tokens</c>.</summary>
public enum OverLengthPolicy
{
    /// <summary>Reject it as <c>too-long</c>.</summary>
    Drop,

    /// <summary>Remove the oldest turns after the system prompt, an exchange at a time, until it fits; reject it only if the last exchange alone is too long.</summary>
    Truncate,
}
