namespace Curation.Tokenization.ChatTemplates;

/// <summary>
/// A conversation as a template renders it, written into a buffer that is reused from one conversation to the next,
/// with where each turn starts: turn t is message t, and text before the first turn or after the last belongs to no
/// message. What a <see cref="TurnWriter"/> writes and the token counter counts piece by piece.
/// </summary>
internal sealed class TurnText
{
    private const int InitialLength = 4096;

    // A buffer grown past this for one long conversation is not kept for the next (one per thread).
    private const int LongestKept = 1 << 20;

    private char[] _chars = new char[InitialLength];
    private int[] _turnStarts = new int[16];
    private int _turnsEnd;

    public int Length { get; private set; }

    public int TurnCount { get; private set; }

    public ReadOnlySpan<char> Text => _chars.AsSpan(0, Length);

    public void Clear()
    {
        if (_chars.Length > LongestKept)
        {
            _chars = new char[InitialLength];
        }

        Length = 0;
        TurnCount = 0;
        _turnsEnd = 0;
    }

    public void Append(ReadOnlySpan<char> text)
    {
        if (Length + text.Length > _chars.Length)
        {
            Array.Resize(ref _chars, Math.Max(Length + text.Length, 2 * _chars.Length));
        }

        text.CopyTo(_chars.AsSpan(Length));
        Length += text.Length;
    }

    /// <summary>The next turn starts here (and the one before ends here).</summary>
    public void StartTurn()
    {
        if (TurnCount == _turnStarts.Length)
        {
            Array.Resize(ref _turnStarts, 2 * _turnStarts.Length);
        }

        _turnStarts[TurnCount++] = Length;
    }

    /// <summary>The last turn ends here; what follows belongs to no message.</summary>
    public void EndTurns() => _turnsEnd = Length;

    /// <summary>Writes <see cref="TurnCount"/> + 2 pieces: the text before the first turn, each turn, the text after the last.</summary>
    public void WritePieces(Span<Range> pieces)
    {
        var first = TurnCount > 0 ? _turnStarts[0] : Length;
        var last = TurnCount > 0 ? _turnsEnd : Length;
        pieces[0] = new Range(0, first);
        for (var t = 0; t < TurnCount; t++)
        {
            pieces[t + 1] = new Range(_turnStarts[t], t + 1 < TurnCount ? _turnStarts[t + 1] : last);
        }

        pieces[TurnCount + 1] = new Range(last, Length);
    }
}
