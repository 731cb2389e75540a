using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace Curation.Tokenization.Tokenizers;

/// <summary>
/// SentencePiece encoding as the official library (0.1.97) does it, for BPE and Unigram models: its normaliser
/// (<see cref="SentencePieceTextNormalizer"/>), BPE merges by score with ties to the leftmost pair (the library's
/// SentencePiece BPE splits runs of one repeated character differently), Unigram's best path, and byte fallback.
/// Control tokens written in the text (<c>&lt;s&gt;</c>, <c>&lt;/s&gt;</c>) are tokens of their own; the dummy prefix is
/// added once, before the first text that is not a control token. Offsets refer to the text as given. Thread-safe.
/// </summary>
internal sealed class SentencePieceEncoder : Tokenizer
{
    private const float UnknownPenalty = 10;
    private const int WordCacheLimit = 100_000;

    private readonly SentencePieceModelProto _model;
    private readonly SentencePieceTextNormalizer _normalizer;
    private readonly SplitPreTokenizer _specialSplitter;
    private readonly Dictionary<string, int> _pieces = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _pieceLookup;
    private readonly Dictionary<string, int> _reserved = new(StringComparer.Ordinal);
    private readonly string[] _userDefined;
    private readonly int[] _byteIds = new int[256];
    private readonly int _unknownId = -1;
    private readonly int _longestPiece;
    private readonly float _minScore = float.MaxValue;
    private readonly float _maxScore = float.MinValue;

    // BPE only: where no piece holds ▁ right after another character, no piece spans the start of a word (▁ after a
    // non-▁), so words segment alone exactly as within the text, and each is segmented once. (Unigram's best path
    // sums float scores along the text, so equal-scoring choices can round differently within a longer text.)
    private readonly bool _separableAtWords;
    private readonly ConcurrentDictionary<string, (int Start, int Length, int Id)[]> _words = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (int Start, int Length, int Id)[]>.AlternateLookup<ReadOnlySpan<char>> _wordLookup;

    public SentencePieceEncoder(SentencePieceModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        var special = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var id = 0; id < model.Pieces.Count; id++)
        {
            var (piece, score, type) = model.Pieces[id];
            switch (type)
            {
                case PieceType.Normal or PieceType.UserDefined or PieceType.Unused:
                    _pieces.TryAdd(piece, id);
                    _longestPiece = Math.Max(_longestPiece, piece.Length);
                    break;
                default:
                    _reserved.TryAdd(piece, id);
                    break;
            }

            if (type == PieceType.Normal)
            {
                _minScore = Math.Min(_minScore, score);
                _maxScore = Math.Max(_maxScore, score);
            }

            if (type == PieceType.Unknown && _unknownId < 0)
            {
                _unknownId = id;
            }

            if (type == PieceType.Control && piece.Length > 0)
            {
                special.TryAdd(piece, id);
            }
        }

        if (_unknownId < 0)
        {
            throw new FormatException("the model has no unknown piece");
        }

        for (var b = 0; b < 256; b++)
        {
            _byteIds[b] = _reserved.TryGetValue($"<0x{b:X2}>", out var id) ? id : _unknownId;
        }

        _pieceLookup = _pieces.GetAlternateLookup<ReadOnlySpan<char>>();
        _wordLookup = _words.GetAlternateLookup<ReadOnlySpan<char>>();
        _separableAtWords = model.ModelType == SentencePieceModelProto.Bpe && !_pieces.Keys.Any(piece => Enumerable.Range(1, Math.Max(piece.Length - 1, 0)).Any(i => piece[i] == '\u2581' && piece[i - 1] != '\u2581'));
        _userDefined = [.. model.Pieces.Where(p => p.Type == PieceType.UserDefined).Select(p => p.Piece).Where(p => p.Length > 0).OrderByDescending(p => p.Length)];
        _normalizer = new SentencePieceTextNormalizer(model, _userDefined);
        SpecialTokens = special;
        _specialSplitter = new SplitPreTokenizer([], special);
    }

    /// <summary>Control pieces, matched whole in text.</summary>
    public IReadOnlyDictionary<string, int> SpecialTokens { get; }

    protected override EncodeResults<EncodedToken> EncodeToTokens(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings)
    {
        var whole = text ?? textSpan.ToString();
        var tokens = Encode(whole);
        var encoded = new List<EncodedToken>(tokens.Count);
        foreach (var token in tokens)
        {
            var value = token.Id == _unknownId && !_model.ByteFallback ? whole[token.Start..token.End] : _model.Pieces[token.Id].Piece;
            encoded.Add(new EncodedToken(token.Id, value, new Range(token.Start, token.End)));
        }

        return new EncodeResults<EncodedToken> { Tokens = encoded, NormalizedText = null, CharsConsumed = whole.Length };
    }

    protected override EncodeResults<int> EncodeToIds(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings)
    {
        var whole = text ?? textSpan.ToString();
        return new EncodeResults<int> { Tokens = [.. Encode(whole).Select(token => token.Id)], NormalizedText = null, CharsConsumed = whole.Length };
    }

    protected override int CountTokens(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings) => Encode(text ?? textSpan.ToString()).Count;

    /// <summary>Each token's id and the characters of <paramref name="text"/> it covers.</summary>
    private List<TokenSpan> Encode(string text)
    {
        var tokens = new List<TokenSpan>();
        var prefixPending = true;
        foreach (var (offset, length) in _specialSplitter.Split(text))
        {
            if (SpecialTokens.TryGetValue(text.Substring(offset, length), out var id))
            {
                tokens.Add(new TokenSpan(id, offset, offset + length));
                continue;
            }

            EncodeOrdinary(text.Substring(offset, length), offset, prefixPending, tokens);
            prefixPending = false;
        }

        return tokens;
    }

    public override OperationStatus Decode(IEnumerable<int> ids, Span<char> destination, out int idsConsumed, out int charsWritten)
    {
        var text = Decode(ids);
        idsConsumed = ids.Count();
        if (text.Length > destination.Length)
        {
            charsWritten = 0;
            idsConsumed = 0;
            return OperationStatus.DestinationTooSmall;
        }

        text.CopyTo(destination);
        charsWritten = text.Length;
        return OperationStatus.Done;
    }

    public override string Decode(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var bytes = new List<byte>();
        var first = true;
        foreach (var id in ids)
        {
            var (piece, _, type) = id >= 0 && id < _model.Pieces.Count ? _model.Pieces[id] : ("", 0, PieceType.Unknown);
            if (type == PieceType.Byte && piece.Length == 6 && byte.TryParse(piece.AsSpan(3, 2), System.Globalization.NumberStyles.HexNumber, null, out var value))
            {
                bytes.Add(value);
            }
            else
            {
                var surface = type == PieceType.Unknown ? " \u2047 " : piece.Replace('\u2581', ' ');
                if (first && _model.AddDummyPrefix && surface.StartsWith(' '))
                {
                    surface = surface[1..];
                }

                bytes.AddRange(Encoding.UTF8.GetBytes(surface));
            }

            first = false;
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    private void EncodeOrdinary(string text, int offset, bool addDummyPrefix, List<TokenSpan> tokens)
    {
        var normalized = _normalizer.Normalize(text, addDummyPrefix, out var origins);
        if (normalized.Length == 0)
        {
            return;
        }

        var pieces = _separableAtWords ? SegmentByWords(normalized) : Segment(normalized);
        var first = tokens.Count;
        Span<byte> bytes = stackalloc byte[4];
        foreach (var (start, length, id) in pieces)
        {
            var from = offset + origins[start];
            var to = offset + origins[start + length];
            if (id == _unknownId && !_model.ByteFallback && tokens.Count > first && tokens[^1].Id == _unknownId)
            {
                // As the library does: a run of unknown pieces is one unknown token.
                tokens[^1] = tokens[^1] with { End = to };
            }
            else if (id != _unknownId || !_model.ByteFallback)
            {
                tokens.Add(new TokenSpan(id, from, to));
            }
            else
            {
                // An unknown piece is one character (BPE symbols and Unigram's unknown nodes never hold more).
                var count = Encoding.UTF8.GetBytes(normalized.AsSpan(start, length), bytes);
                foreach (var b in bytes[..count])
                {
                    tokens.Add(new TokenSpan(_byteIds[b], from, to));
                }
            }
        }
    }

    private List<(int Start, int Length, int Id)> Segment(string text) => _model.ModelType == SentencePieceModelProto.Bpe ? EncodeBpe(text) : EncodeUnigram(text);

    private List<(int Start, int Length, int Id)> SegmentByWords(string text)
    {
        var output = new List<(int Start, int Length, int Id)>();
        var start = 0;
        for (var i = 1; i <= text.Length; i++)
        {
            if (i < text.Length && (text[i] != '\u2581' || text[i - 1] == '\u2581'))
            {
                continue;
            }

            var word = text.AsSpan(start, i - start);
            if (!_wordLookup.TryGetValue(word, out var pieces))
            {
                var key = word.ToString();
                pieces = [.. Segment(key)];
                if (_words.Count < WordCacheLimit)
                {
                    _words.TryAdd(key, pieces);
                }
            }

            foreach (var (pieceStart, length, id) in pieces)
            {
                output.Add((start + pieceStart, length, id));
            }

            start = i;
        }

        return output;
    }

    /// <summary>Merges adjacent symbols, the pair forming the highest-scoring piece first and the leftmost of equals.</summary>
    private List<(int Start, int Length, int Id)> EncodeBpe(string text)
    {
        var symbols = new List<Symbol>();
        for (var i = 0; i < text.Length;)
        {
            var length = UserDefinedAt(text, i);
            var frozen = length > 0;
            if (!frozen)
            {
                length = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            }

            symbols.Add(new Symbol(i, length, symbols.Count - 1, i + length < text.Length ? symbols.Count + 1 : -1, frozen));
            i += length;
        }

        var agenda = new PriorityQueue<(int Left, int Right, int Length), (float NegativeScore, int Left)>();
        var unusedSplits = new Dictionary<string, (string Left, string Right)>(StringComparer.Ordinal);

        void TryPair(int left, int right)
        {
            if (left < 0 || right < 0 || symbols[left].Frozen || symbols[right].Frozen)
            {
                return;
            }

            var length = symbols[left].Length + symbols[right].Length;
            if (!_pieceLookup.TryGetValue(text.AsSpan(symbols[left].Start, length), out var id))
            {
                return;
            }

            agenda.Enqueue((left, right, length), (-_model.Pieces[id].Score, left));
            if (_model.Pieces[id].Type == PieceType.Unused)
            {
                unusedSplits[text.Substring(symbols[left].Start, length)] = (text.Substring(symbols[left].Start, symbols[left].Length), text.Substring(symbols[right].Start, symbols[right].Length));
            }
        }

        for (var i = 1; i < symbols.Count; i++)
        {
            TryPair(i - 1, i);
        }

        while (agenda.TryDequeue(out var top, out _))
        {
            var left = symbols[top.Left];
            var right = symbols[top.Right];
            if (left.Length == 0 || right.Length == 0 || left.Length + right.Length != top.Length)
            {
                continue;
            }

            symbols[top.Left] = left with { Length = top.Length, Next = right.Next };
            if (right.Next >= 0)
            {
                symbols[right.Next] = symbols[right.Next] with { Previous = top.Left };
            }

            symbols[top.Right] = right with { Length = 0 };
            TryPair(symbols[top.Left].Previous, top.Left);
            TryPair(top.Left, symbols[top.Left].Next);
        }

        var output = new List<(int, int, int)>();
        for (var index = symbols.Count > 0 ? 0 : -1; index != -1; index = symbols[index].Next)
        {
            Resegment(symbols[index].Start, text.Substring(symbols[index].Start, symbols[index].Length), unusedSplits, output);
        }

        return output;
    }

    /// <summary>A piece that is marked unused splits back into the two it was merged from.</summary>
    private void Resegment(int start, string piece, Dictionary<string, (string Left, string Right)> unusedSplits, List<(int, int, int)> output)
    {
        var id = PieceId(piece);
        if (id == _unknownId || _model.Pieces[id].Type != PieceType.Unused || !unusedSplits.TryGetValue(piece, out var parts))
        {
            output.Add((start, piece.Length, id));
            return;
        }

        Resegment(start, parts.Left, unusedSplits, output);
        Resegment(start + parts.Left.Length, parts.Right, unusedSplits, output);
    }

    /// <summary>The best-scoring segmentation (Viterbi), an unknown character scoring the lowest piece score less 10.</summary>
    private List<(int Start, int Length, int Id)> EncodeUnigram(string text)
    {
        var bestScore = new float[text.Length + 1];
        var bestStart = new int[text.Length + 1];
        var bestId = new int[text.Length + 1];
        Array.Fill(bestStart, -1);
        var unknownScore = _minScore - UnknownPenalty;
        for (var start = 0; start < text.Length;)
        {
            var characterLength = char.IsHighSurrogate(text[start]) && start + 1 < text.Length && char.IsLowSurrogate(text[start + 1]) ? 2 : 1;
            var scoreHere = bestScore[start];
            var hasSingleCharacter = false;
            for (var length = 1; length <= Math.Min(_longestPiece, text.Length - start); length++)
            {
                if (!_pieceLookup.TryGetValue(text.AsSpan(start, length), out var id) || _model.Pieces[id].Type == PieceType.Unused)
                {
                    continue;
                }

                // As the library computes it: a user-defined piece scores its UTF-8 length times the top score, less 0.1.
                double score = _model.Pieces[id].Type == PieceType.UserDefined
                    ? (Encoding.UTF8.GetByteCount(text.AsSpan(start, length)) * _maxScore) - 0.1
                    : _model.Pieces[id].Score;
                var candidate = score + scoreHere;
                var end = start + length;
                if (bestStart[end] == -1 || candidate > bestScore[end])
                {
                    bestScore[end] = (float)candidate;
                    bestStart[end] = start;
                    bestId[end] = id;
                }

                hasSingleCharacter |= length == characterLength;
            }

            if (!hasSingleCharacter)
            {
                var end = start + characterLength;
                var candidate = unknownScore + scoreHere;
                if (bestStart[end] == -1 || candidate > bestScore[end])
                {
                    bestScore[end] = candidate;
                    bestStart[end] = start;
                    bestId[end] = _unknownId;
                }
            }

            start += characterLength;
        }

        var output = new List<(int, int, int)>();
        for (var end = text.Length; end > 0; end = bestStart[end])
        {
            output.Add((bestStart[end], end - bestStart[end], bestId[end]));
        }

        output.Reverse();
        return output;
    }

    private int UserDefinedAt(string text, int position)
    {
        foreach (var symbol in _userDefined)
        {
            if (string.CompareOrdinal(text, position, symbol, 0, symbol.Length) == 0 && position + symbol.Length <= text.Length)
            {
                return symbol.Length;
            }
        }

        return 0;
    }

    private int PieceId(string piece) =>
        _reserved.TryGetValue(piece, out var reserved) ? reserved : _pieces.TryGetValue(piece, out var id) ? id : _unknownId;

    private readonly record struct Symbol(int Start, int Length, int Previous, int Next, bool Frozen);
}
