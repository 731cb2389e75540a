using System.Buffers;
using Curation.Core.Records;
using Curation.Filters.Quality.Text;

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
internal sealed class InstructionQualityStage : QualityStage
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
    private readonly SearchValues<string>? _anyPhrase;

    public InstructionQualityStage(InstructionQualityOptions options, string name)
        : base(name, options?.Disable ?? [])
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _phrases = [.. (options.Phrases ?? DefaultPhrases).Concat(options.ExtraPhrases).Select(phrase => phrase.ToLowerInvariant())];
        _anyPhrase = _phrases.Contains("") ? null : SearchValues.Create(_phrases, StringComparison.Ordinal);
    }

    public override IReadOnlyList<string> Rules { get; } = ["short-response", "echoes-prompt", "refusal", "unbalanced-code-fence"];

    protected override RuleFailure? FirstFailure(ChatRecord record)
    {
        for (var i = 0; i < record.Messages.Length; i++)
        {
            var message = record.Messages[i];
            if (message.Role == Roles.Assistant && FirstFailure(record, i) is { } failure)
            {
                return failure;
            }
        }

        return null;
    }

    private RuleFailure? FirstFailure(ChatRecord record, int turn)
    {
        var content = record.Messages[turn].Content.AsSpan();
        var words = WordEnumerator.Count(content);
        if (Enabled("short-response") && words < _options.MinResponseWords)
        {
            return new("short-response", Format($"turn {turn + 1} has {words} words, min_response_words {_options.MinResponseWords}"));
        }

        var prompt = Enabled("echoes-prompt") ? PromptBefore(record, turn) : null;
        var checkRefusal = Enabled("refusal");
        if (prompt is not null || checkRefusal)
        {
            var lowered = LoweredText.Response(content);
            if (prompt is not null && PromptEcho.Share(LoweredText.Prompt(prompt), lowered, words, _options.MaxPromptEcho) is var echo && echo > _options.MaxPromptEcho)
            {
                return new("echoes-prompt", Format($"turn {turn + 1}: {echo:P0} of its word 3-grams are in the prompt, max {_options.MaxPromptEcho:P0}"));
            }

            if (checkRefusal && FirstPhraseIn(lowered) is { } phrase)
            {
                return new("refusal", Format($"turn {turn + 1} says \"{phrase}\""));
            }
        }

        if (Enabled("unbalanced-code-fence") && CodeFenceLines(content) is var fences && fences % 2 == 1)
        {
            return new("unbalanced-code-fence", Format($"turn {turn + 1} has {fences} code fence lines"));
        }

        return null;
    }

    private string? FirstPhraseIn(ReadOnlySpan<char> lowered)
    {
        // One vectorised pass answers "none" for nearly every turn; the list order decides which phrase to name.
        if (_anyPhrase is not null && !lowered.ContainsAny(_anyPhrase))
        {
            return null;
        }

        foreach (var phrase in _phrases)
        {
            if (lowered.Contains(phrase, StringComparison.Ordinal))
            {
                return phrase;
            }
        }

        return null;
    }

    private static int CodeFenceLines(ReadOnlySpan<char> content)
    {
        var fences = 0;
        foreach (var line in new LineEnumerator(content))
        {
            fences += line.TrimStart().StartsWith("```", StringComparison.Ordinal) ? 1 : 0;
        }

        return fences;
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
}
