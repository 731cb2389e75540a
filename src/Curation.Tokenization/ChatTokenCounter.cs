using Curation.Core.Records;
using Curation.Tokenization.ChatTemplates;
using Curation.Tokenization.Tokenizers;

namespace Curation.Tokenization;

/// <summary>
/// Counts the tokens a model sees for a conversation: rendered with the chat template, encoded once as a whole (so
/// template tokens and merges across turn boundaries count exactly as in training), then each token attributed to
/// the turn its text starts in. Safe to use from several threads.
/// </summary>
public sealed class ChatTokenCounter
{
    // When every turn and the ending start with a special token, no token can span a turn boundary (special tokens
    // are split off before anything else), so counting turn by turn gives the same total as encoding the whole. Only
    // a named format says so for every conversation; a model's own template is counted from one encoding.
    private readonly bool _turnsAreSeparate;

    // Writes the conversations the template writes turn after turn in a fixed way, into a buffer reused per thread,
    // where that counts the same as rendering: no string or template run per conversation. Null where none applies.
    private readonly TurnWriter? _writer;

    [ThreadStatic]
    private static WrittenConversation? t_written;

    public ChatTokenCounter(TextTokenizer tokenizer, ChatTemplate template)
        : this(tokenizer, template, writeTurns: true)
    {
    }

    /// <param name="writeTurns">Whether conversations a <see cref="TurnWriter"/> writes are counted from its text (false: every one rendered by the template, as a reference).</param>
    internal ChatTokenCounter(TextTokenizer tokenizer, ChatTemplate template, bool writeTurns)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(template);
        Tokenizer = tokenizer;
        Template = template;
        _turnsAreSeparate = template is NamedChatTemplate named
            && named.Roles.All(role => tokenizer.StartsWithSpecialToken(named.TurnPrefix(role)))
            && (named.Ending.Length == 0 || tokenizer.StartsWithSpecialToken(named.Ending))
            && (named.GenerationPrompt.Length == 0 || tokenizer.StartsWithSpecialToken(named.GenerationPrompt));
        _writer = !writeTurns ? null : template switch
        {
            NamedChatTemplate format when _turnsAreSeparate => NamedTurnWriter.For(format),
            JinjaChatTemplate jinja => OwnTemplateWriters.For(jinja, tokenizer),
            _ => null,
        };
    }

    public TextTokenizer Tokenizer { get; }

    public ChatTemplate Template { get; }

    /// <summary>Whether turns are counted one by one (a named format whose turn boundaries are special tokens) rather than from one encoding.</summary>
    public bool CountsTurnByTurn => _turnsAreSeparate;

    /// <summary>Whether some conversations are counted from the template's text written without rendering it (see <see cref="TurnWriter"/>).</summary>
    internal bool WritesTurns => _writer is not null;

    /// <exception cref="ChatTemplateException">The template cannot render the conversation.</exception>
    public ChatTokenCounts Count(IReadOnlyList<Message> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (_writer is not null && TryCountWritten(messages) is { } written)
        {
            return written;
        }

        if (Tokenizer.Normalizes)
        {
            messages = [.. messages.Select(message => message with { Content = Tokenizer.Normalize(message.Content) })];
        }

        var rendered = Template.Render(messages);
        return _turnsAreSeparate ? CountTurnByTurn(rendered, messages.Count) : CountWhole(rendered, messages.Count);
    }

    /// <summary>The counts from the text <see cref="_writer"/> writes; null for a conversation it leaves to the template.</summary>
    private ChatTokenCounts? TryCountWritten(IReadOnlyList<Message> messages)
    {
        var written = t_written ??= new WrittenConversation();
        var contents = written.Contents(messages.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            contents[i] = Tokenizer.NormalizeChanged(messages[i].Content);
        }

        var ok = _writer!.TryWrite(messages, contents, written.Text);
        contents.Clear();
        if (!ok)
        {
            return null;
        }

        var turns = written.Text.TurnCount;
        var pieces = written.Pieces(turns + 2);
        var counts = written.Counts(turns + 2);
        written.Text.WritePieces(pieces);
        Tokenizer.CountTokens(written.Text.Text, pieces, counts);

        // Turn t is message t, so the counts are tallied as those of a rendering counted turn by turn.
        var perMessage = new int[messages.Count];
        var lastAssistant = turns - 1;
        while (lastAssistant >= 0 && messages[lastAssistant].Role != Roles.Assistant)
        {
            lastAssistant--;
        }

        int total = 0, prompt = counts[0], response = 0;
        for (var t = 0; t < turns; t++)
        {
            perMessage[t] = counts[t + 1];
            if (t == lastAssistant)
            {
                response = counts[t + 1];
            }
            else if (lastAssistant < 0 || t < lastAssistant)
            {
                prompt += counts[t + 1];
            }
        }

        foreach (var count in counts)
        {
            total += count;
        }

        prompt += lastAssistant < 0 ? counts[^1] : 0;
        return new ChatTokenCounts(total, perMessage, prompt, response);
    }

    private ChatTokenCounts CountTurnByTurn(RenderedChat rendered, int messageCount)
    {
        // Pieces: what precedes the first turn, each turn, what follows the last.
        var turns = rendered.Turns;
        var pieces = new Range[turns.Count + 2];
        pieces[0] = new Range(0, turns.Count > 0 ? turns[0].Start : rendered.Text.Length);
        for (var t = 0; t < turns.Count; t++)
        {
            pieces[t + 1] = new Range(turns[t].Start, turns[t].End);
        }

        pieces[^1] = new Range(turns.Count > 0 ? turns[^1].End : rendered.Text.Length, rendered.Text.Length);
        var counts = new int[pieces.Length];
        Tokenizer.CountTokens(rendered.Text, pieces, counts);

        var perMessage = new int[messageCount];
        var lastAssistant = LastAssistantTurn(rendered);
        var prompt = counts[0];
        var response = 0;
        for (var t = 0; t < turns.Count; t++)
        {
            perMessage[turns[t].Message] += counts[t + 1];
            if (t == lastAssistant)
            {
                response = counts[t + 1];
            }
            else if (lastAssistant < 0 || t < lastAssistant)
            {
                prompt += counts[t + 1];
            }
        }

        prompt += lastAssistant < 0 ? counts[^1] : 0;
        return new ChatTokenCounts(counts.Sum(), perMessage, prompt, response);
    }

    private static int LastAssistantTurn(RenderedChat rendered)
    {
        for (var t = rendered.Turns.Count - 1; t >= 0; t--)
        {
            if (rendered.Turns[t].Role == Roles.Assistant)
            {
                return t;
            }
        }

        return -1;
    }

    private ChatTokenCounts CountWhole(RenderedChat rendered, int messageCount)
    {
        var messages = new int[messageCount];
        var tokens = Tokenizer.EncodeWithOffsets(rendered.Text);
        var perMessage = messages;
        var lastAssistant = LastAssistantTurn(rendered);

        var responseStart = lastAssistant >= 0 ? rendered.Turns[lastAssistant].Start : int.MaxValue;
        var responseEnd = lastAssistant >= 0 ? rendered.Turns[lastAssistant].End : int.MaxValue;
        int prompt = 0, response = 0, turn = 0;
        foreach (var token in tokens)
        {
            while (turn < rendered.Turns.Count && token.Start >= rendered.Turns[turn].End)
            {
                turn++;
            }

            if (turn < rendered.Turns.Count && token.Start >= rendered.Turns[turn].Start)
            {
                perMessage[rendered.Turns[turn].Message]++;
            }

            if (token.Start < responseStart)
            {
                prompt++;
            }
            else if (token.Start < responseEnd)
            {
                response++;
            }
        }

        return new ChatTokenCounts(tokens.Count, perMessage, prompt, response);
    }
}

/// <summary>Token counts of one rendered conversation.</summary>
/// <param name="Total">Every token, template tokens included.</param>
/// <param name="PerMessage">Tokens of each message's turn (markers and content); 0 for a message folded into another.</param>
/// <param name="Prompt">Tokens before the last assistant turn (all of them when there is none).</param>
/// <param name="Response">Tokens of the last assistant turn.</param>
public sealed record ChatTokenCounts(int Total, IReadOnlyList<int> PerMessage, int Prompt, int Response);
