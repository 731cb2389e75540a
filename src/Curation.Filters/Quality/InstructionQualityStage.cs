using System.Globalization;
using Curation.Core.Records;

namespace Curation.Filters.Quality;

/// <summary>Options of <c>instruction-quality</c>: rules for chat and instruction data rather than web text.</summary>
public sealed class InstructionQualityOptions
{
    /// <summary>Fewest words in every assistant turn.</summary>
    public int MinResponseWords { get; init; } = 1;

    /// <summary>Largest share of the response's word 3-grams that may also be in the prompt before it counts as an echo.</summary>
    public double MaxPromptEcho { get; init; } = 0.9;

    /// <summary>Refusal and boilerplate phrases, matched case-insensitively in assistant turns; replaces the defaults.</summary>
    public List<string>? Phrases { get; init; }

    /// <summary>More phrases on top of <see cref="Phrases"/> or the defaults.</summary>
    public List<string> ExtraPhrases { get; init; } = [];

    public List<string> Disable { get; init; } = [];
}

/// <summary>Instruction-data rules: short responses, responses that repeat the prompt, refusals and boilerplate, unbalanced code fences.</summary>
public sealed class InstructionQualityStage : QualityStage
{
    /// <summary>Common refusal and assistant boilerplate openings of distilled chat data.</summary>
    public static readonly IReadOnlyList<string> DefaultPhrases =
    [
        "as an ai language model", "as a large language model", "as an ai model", "as an ai assistant, i",
        "i'm sorry, but i can't", "i'm sorry, but i cannot", "i am sorry, but i cannot", "i apologize, but i cannot",
        "i cannot fulfill", "i can't fulfill", "i cannot assist with", "i can't assist with", "i cannot help with that",
        "i'm unable to help", "i am unable to help", "i do not have personal opinions", "i don't have personal opinions",
        "my knowledge cutoff", "i cannot browse the internet",
    ];

    private readonly InstructionQualityOptions _options;
    private readonly string[] _phrases;

    public InstructionQualityStage(InstructionQualityOptions options, string name)
        : base(name, QualityTarget.Response, options?.Disable ?? [])
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _phrases = [.. (options.Phrases ?? DefaultPhrases).Concat(options.ExtraPhrases).Select(phrase => phrase.ToLowerInvariant())];
    }

    public override IReadOnlyList<string> Rules { get; } = ["short-response", "echoes-prompt", "refusal", "unbalanced-code-fence"];

    protected override IEnumerable<(string Rule, string Detail)> Check(ChatRecord record, string text)
    {
        for (var i = 0; i < record.Messages.Length; i++)
        {
            var message = record.Messages[i];
            if (message.Role != Roles.Assistant)
            {
                continue;
            }

            var words = QualityText.Words(message.Content);
            if (words.Length < _options.MinResponseWords)
            {
                yield return ("short-response", Format($"turn {i + 1} has {words.Length} words, min_response_words {_options.MinResponseWords}"));
            }

            if (PromptBefore(record, i) is { } prompt && Echo(prompt, words) is var echo && echo > _options.MaxPromptEcho)
            {
                yield return ("echoes-prompt", Format($"turn {i + 1}: {echo:P0} of its word 3-grams are in the prompt, max {_options.MaxPromptEcho:P0}"));
            }

            var lower = message.Content.ToLowerInvariant();
            if (_phrases.FirstOrDefault(phrase => lower.Contains(phrase, StringComparison.Ordinal)) is { } phrase)
            {
                yield return ("refusal", Format($"turn {i + 1} says \"{phrase}\""));
            }

            var fences = message.Content.Split('\n').Count(line => line.TrimStart().StartsWith("```", StringComparison.Ordinal));
            if (fences % 2 == 1)
            {
                yield return ("unbalanced-code-fence", Format($"turn {i + 1} has {fences} code fence lines"));
            }
        }
    }

    private static string? PromptBefore(ChatRecord record, int assistant)
    {
        for (var i = assistant - 1; i >= 0; i--)
        {
            if (record.Messages[i].Role == Roles.User)
            {
                return record.Messages[i].Content;
            }
        }

        return null;
    }

    /// <summary>Share of the response's word 3-grams (case-folded) found in the prompt; 1 when a short response equals the prompt.</summary>
    private static double Echo(string prompt, string[] response)
    {
        var promptWords = QualityText.Words(prompt.ToLower(CultureInfo.InvariantCulture));
        var lowered = response.Select(word => word.ToLower(CultureInfo.InvariantCulture)).ToArray();
        if (lowered.Length < 3)
        {
            return lowered.Length > 0 && lowered.SequenceEqual(promptWords) ? 1 : 0;
        }

        var grams = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i + 3 <= promptWords.Length; i++)
        {
            grams.Add(string.Join(' ', promptWords, i, 3));
        }

        var total = lowered.Length - 2;
        var found = 0;
        for (var i = 0; i < total; i++)
        {
            found += grams.Contains(string.Join(' ', lowered, i, 3)) ? 1 : 0;
        }

        return (double)found / total;
    }
}
