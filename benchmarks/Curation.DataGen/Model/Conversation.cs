namespace Curation.DataGen.Model;

/// <summary>A generated example before it is written in some format.</summary>
internal sealed record Conversation
{
    public string? System { get; init; }

    /// <summary>Alternating user/assistant turns (planted defects may break the alternation).</summary>
    public required IReadOnlyList<Turn> Turns { get; init; }

    /// <summary>
    /// Extra material for the last user turn (the alpaca <c>input</c> field). Formats without such a field append it
    /// to the last user turn after a blank line.
    /// </summary>
    public string? Input { get; init; }

    /// <summary>A short topic label, e.g. <c>billing</c>; written where a format has a column for it.</summary>
    public string Category { get; init; } = "general";

    /// <summary>The turns as a chat format sees them: system first, <see cref="Input"/> merged into the last user turn.</summary>
    public IReadOnlyList<Turn> ChatTurns()
    {
        var turns = new List<Turn>(Turns.Count + 1);
        if (System is not null)
        {
            turns.Add(new Turn(Roles.System, System));
        }

        var lastUser = LastUserIndex();
        for (var i = 0; i < Turns.Count; i++)
        {
            var turn = Turns[i];
            turns.Add(i == lastUser && !string.IsNullOrEmpty(Input) ? turn with { Content = turn.Content + "\n\n" + Input } : turn);
        }

        return turns;
    }

    public int LastUserIndex()
    {
        for (var i = Turns.Count - 1; i >= 0; i--)
        {
            if (Turns[i].Role == Roles.User)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The first user turn's text (with input when single-turn); used where a format needs a single prompt.</summary>
    public string Prompt => Turns.Count > 0 ? ChatTurns().First(t => t.Role != Roles.System).Content : string.Empty;

    /// <summary>The last assistant turn, or empty when there is none.</summary>
    public string Response
    {
        get
        {
            for (var i = Turns.Count - 1; i >= 0; i--)
            {
                if (Turns[i].Role == Roles.Assistant)
                {
                    return Turns[i].Content;
                }
            }

            return string.Empty;
        }
    }

    /// <summary>A copy whose last assistant turn reads <paramref name="response"/>.</summary>
    public Conversation WithResponse(string response)
    {
        var turns = Turns.ToList();
        for (var i = turns.Count - 1; i >= 0; i--)
        {
            if (turns[i].Role == Roles.Assistant)
            {
                turns[i] = turns[i] with { Content = response };
                return this with { Turns = turns };
            }
        }

        throw new InvalidOperationException("The conversation has no assistant turn.");
    }

    /// <summary>A copy with every turn's content and the input passed through <paramref name="edit"/>; the system prompt stays as it is.</summary>
    public Conversation MapText(Func<string, string> edit)
    {
        ArgumentNullException.ThrowIfNull(edit);
        return this with
        {
            Input = Input is null ? null : edit(Input),
            Turns = Turns.Select(t => t with { Content = edit(t.Content) }).ToList(),
        };
    }
}
