using System.Globalization;
using System.Text.Json;
using Curation.Core.Records;
using Curation.Core.Stages;
using Curation.Core.Stats;
using Curation.Tokenization;
using Curation.Tokenization.ChatTemplates;

namespace Curation.Filters.Length;

/// <summary>
/// Counts each conversation's tokens as the model will see them (its tokenizer and chat template, template tokens
/// included) and drops, or truncates, those outside the limits. Reports token-count histograms of its input and of
/// what it kept.
/// </summary>
internal sealed class LengthFilterStage : IMergeableReport
{
    public const string TooLongRule = "too-long";
    public const string TooShortRule = "too-short";
    public const string TurnTooLongRule = "turn-too-long";
    public const string PromptTooLongRule = "prompt-too-long";
    public const string ResponseTooShortRule = "response-too-short";
    public const string UnrenderableRule = "unrenderable";

    public static IReadOnlyList<string> Rules { get; } = [TooLongRule, TooShortRule, TurnTooLongRule, PromptTooLongRule, ResponseTooShortRule, UnrenderableRule];

    private readonly LengthFilterOptions _options;
    private readonly ChatTokenCounter _counter;
    private readonly TokenHistogram _before = new();
    private readonly TokenHistogram _after = new();
    private long _truncated;

    public LengthFilterStage(LengthFilterOptions options, ChatTokenCounter counter, string name)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _counter = counter;
        Name = name;
    }

    public string Name { get; }

    public StageResult Apply(ChatRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        ChatTokenCounts counts;
        try
        {
            counts = _counter.Count(record.Messages);
        }
        catch (ChatTemplateException ex)
        {
            return StageResult.Drop(UnrenderableRule, ex.Message);
        }

        _before.Add(counts.Total);
        if (_options.MaxTokens is { } max && counts.Total > max)
        {
            if (_options.OnExceed == OverLengthPolicy.Drop)
            {
                return StageResult.Drop(TooLongRule, Detail($"{counts.Total} tokens, max_tokens {max}"));
            }

            var (shortened, shortenedCounts) = Truncate(record.Messages, max);
            if (shortened is null)
            {
                return StageResult.Drop(TooLongRule, Detail($"{counts.Total} tokens; {shortenedCounts.Total} with only the system prompt and last exchange, max_tokens {max}"));
            }

            Interlocked.Increment(ref _truncated);
            record = record with { Messages = [.. shortened] };
            counts = shortenedCounts;
        }

        if (Check(record, counts) is { } drop)
        {
            return drop;
        }

        _after.Add(counts.Total);
        return StageResult.Keep(record);
    }

    public void Report(StageCounters counters)
    {
        ArgumentNullException.ThrowIfNull(counters);
        counters.AddNote($"{_counter.Tokenizer.Name} tokens with the {_counter.Template.Name} template, before: {_before.Describe()}");
        counters.AddNote($"after: {_after.Describe()}");
        if (Interlocked.Read(ref _truncated) > 0)
        {
            counters.AddNote(string.Create(CultureInfo.InvariantCulture, $"{_truncated} conversations truncated to max_tokens {_options.MaxTokens} by dropping their oldest turns"));
        }
    }

    public JsonElement SaveFigures() =>
        ReportFigures.Save(new LengthFigures(_before.Figures(), _after.Figures(), Interlocked.Read(ref _truncated)));

    public void AddFigures(JsonElement figures)
    {
        var added = ReportFigures.Read<LengthFigures>(figures, Name);
        _before.Add(added.Before);
        _after.Add(added.After);
        Interlocked.Add(ref _truncated, added.Truncated);
    }

    private StageResult? Check(ChatRecord record, ChatTokenCounts counts)
    {
        if (_options.MinTokens is { } min && counts.Total < min)
        {
            return StageResult.Drop(TooShortRule, Detail($"{counts.Total} tokens, min_tokens {min}"));
        }

        if (_options.MaxTurnTokens is { } maxTurn)
        {
            for (var i = 0; i < counts.PerMessage.Count; i++)
            {
                if (counts.PerMessage[i] > maxTurn)
                {
                    return StageResult.Drop(TurnTooLongRule, Detail($"turn {i + 1} ({record.Messages[i].Role}) has {counts.PerMessage[i]} tokens, max_turn_tokens {maxTurn}"));
                }
            }
        }

        if (_options.MaxPromptTokens is { } maxPrompt && counts.Prompt > maxPrompt)
        {
            return StageResult.Drop(PromptTooLongRule, Detail($"{counts.Prompt} tokens before the last assistant turn, max_prompt_tokens {maxPrompt}"));
        }

        if (_options.MinResponseTokens is { } minResponse && counts.Response < minResponse)
        {
            return StageResult.Drop(ResponseTooShortRule, Detail($"last assistant turn has {counts.Response} tokens, min_response_tokens {minResponse}"));
        }

        return null;
    }

    /// <summary>
    /// Drops the oldest turns after a leading system prompt, up to and including the next assistant turn each time,
    /// until the conversation fits; null when even the system prompt and the last exchange do not.
    /// </summary>
    private (List<Message>? Messages, ChatTokenCounts Counts) Truncate(IReadOnlyList<Message> messages, int max)
    {
        var system = messages.Count > 0 && messages[0].Role == Roles.System ? 1 : 0;
        var kept = messages.ToList();
        while (true)
        {
            var next = kept.FindIndex(system, message => message.Role == Roles.Assistant);
            var lastAssistant = kept.FindLastIndex(message => message.Role == Roles.Assistant);
            if (next < 0 || next >= lastAssistant)
            {
                return (null, _counter.Count(kept));
            }

            kept.RemoveRange(system, next - system + 1);
            var counts = _counter.Count(kept);
            if (counts.Total <= max)
            {
                return (kept, counts);
            }
        }
    }

    private static string Detail(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>What <see cref="LengthFilterStage"/> reports, in a form that adds up across shard tasks.</summary>
internal sealed record LengthFigures(TokenHistogramFigures Before, TokenHistogramFigures After, long Truncated);
