using System.Collections.Concurrent;
using Microsoft.ML.Tokenizers;

namespace Curation.Tokenization.Tokenizers;

/// <summary>
/// A tokenizer as a model sees text: ids, counts and offsets, with special tokens written in the text (such as
/// <c>&lt;|im_start|&gt;</c>) encoded as themselves. Nothing is added around the text (no beginning-of-sequence
/// token): chat templates write those. Safe to use from several threads.
/// </summary>
public sealed class TextTokenizer
{
    // A pool of library tokenizers, one per concurrent caller: each keeps a cache of recent words behind a lock,
    // which threads sharing one instance contend for. Named encodings share their vocabulary between instances, so
    // one per processor is made up front, keeping construction (about 100 ms each) out of a run's timed work; a
    // tokenizer.json or tokenizer.model builds its own tables per instance, so further ones are made on demand.
    private readonly ConcurrentBag<Tokenizer> _pool;
    private readonly Func<Tokenizer> _create;

    // Normalisers hold no per-call state; the first instance's serves every caller.
    private readonly Normalizer? _normalizer;

    // Named encodings keep the library's pre-tokenizer, right and fast on text within the BMP; text with supplementary
    // characters is split by this one, over code points, and each piece encoded whole.
    private readonly SplitPreTokenizer? _codePointSplitter;

    // SentencePiece adds its dummy prefix only before the first text: a piece of a text encodes differently alone.
    private readonly bool _piecesDependOnContext;

    // Byte-level BPE counts without encoding: pre-tokens split here and their counts cached per thread.
    private readonly PreTokenCounter? _counter;

    /// <param name="create">Makes one library tokenizer; called now, so that a bad file fails here.</param>
    /// <param name="instancesUpFront">How many to make now (the rest as callers need them).</param>
    /// <param name="splitPattern">The library tokenizer's split regex, in tiktoken's syntax, where its own pre-tokenizer splits by UTF-16 code units.</param>
    /// <param name="piecesDependOnContext">Whether a piece of a text encodes differently alone, even when it begins with a special token.</param>
    /// <param name="preTokenizer">The library tokenizer's own pre-tokenizer, where it is a byte-level BPE that encodes each pre-token alone.</param>
    internal TextTokenizer(
        string name,
        Func<Tokenizer> create,
        Func<Tokenizer, IReadOnlyDictionary<string, int>> specialTokens,
        int instancesUpFront = 1,
        string? splitPattern = null,
        bool piecesDependOnContext = false,
        SplitPreTokenizer? preTokenizer = null)
    {
        Name = name;
        _create = create;
        var first = create();
        _pool = [first, .. Enumerable.Range(1, Math.Max(0, instancesUpFront - 1)).AsParallel().Select(_ => create())];
        SpecialTokens = specialTokens(first);
        _normalizer = first.Normalizer;
        _piecesDependOnContext = piecesDependOnContext;
        _codePointSplitter = splitPattern is null ? null : new SplitPreTokenizer([new SplitStep(new CodePointRegex(splitPattern))], SpecialTokens);
        if ((preTokenizer ?? _codePointSplitter) is { } splitter)
        {
            _counter = new PreTokenCounter(splitter, SpecialTokens, _normalizer, CountPieceWhole);
        }
    }

    /// <summary>The counter of byte-level BPE tokenizers, which <see cref="CountTokens(ReadOnlySpan{char})"/> uses; null for SentencePiece.</summary>
    internal PreTokenCounter? Counter => _counter;

    /// <summary>The encoding name or the model folder it was loaded from.</summary>
    public string Name { get; }

    /// <summary>Tokens matched whole in text before anything else (added and control tokens), with their ids.</summary>
    public IReadOnlyDictionary<string, int> SpecialTokens { get; }

    public int CountTokens(string text) => CountTokens(text.AsSpan());

    public int CountTokens(ReadOnlySpan<char> text)
    {
        if (_counter is not null)
        {
            return _counter.Count(text);
        }

        using var lease = Lease();
        return CountTokens(lease.Tokenizer, text);
    }

    /// <summary>
    /// Counts the tokens of each of <paramref name="pieces"/> of <paramref name="text"/> (in order, end to end), encoding
    /// each piece alone, or the whole text once where pieces depend on what precedes them.
    /// </summary>
    public void CountTokens(ReadOnlySpan<char> text, ReadOnlySpan<Range> pieces, Span<int> counts)
    {
        if (_piecesDependOnContext)
        {
            counts.Clear();
            var piece = 0;
            foreach (var token in EncodeWithOffsets(text.ToString()))
            {
                while (piece < pieces.Length - 1 && token.Start >= pieces[piece].End.GetOffset(text.Length))
                {
                    piece++;
                }

                counts[piece]++;
            }

            return;
        }

        for (var i = 0; i < pieces.Length; i++)
        {
            counts[i] = CountTokens(text[pieces[i]]);
        }
    }

    /// <summary>Whether <paramref name="text"/> begins with one of <see cref="SpecialTokens"/>.</summary>
    public bool StartsWithSpecialToken(string text) => SpecialTokens.Keys.Any(token => text.StartsWith(token, StringComparison.Ordinal));

    public IReadOnlyList<int> Encode(string text)
    {
        if (SplitsByCodePoint(text))
        {
            return [.. EncodeWithOffsets(text).Select(token => token.Id)];
        }

        using var lease = Lease();
        return lease.Tokenizer.EncodeToIds(text);
    }

    /// <summary>Whether the tokenizer normalises text before encoding it (Unicode NFC for Qwen2's tokenizer.json).</summary>
    public bool Normalizes => _normalizer is not null;

    /// <summary>The text as the tokenizer's normaliser leaves it; <see cref="EncodeWithOffsets"/> offsets refer to this form.</summary>
    public string Normalize(string text) => _normalizer is { } normalizer ? normalizer.Normalize(text) : text;

    /// <summary>The same as <see cref="Normalize"/>, without a new string for text the normaliser surely leaves as it is.</summary>
    internal string NormalizeChanged(string text) =>
        _normalizer is null || (_normalizer is TokenizerJsonNormalizer known && known.LeavesUnchanged(text)) ? text : _normalizer.Normalize(text);

    /// <summary>Each token's id and the range of the normalised text (see <see cref="Normalize"/>) it covers.</summary>
    public IReadOnlyList<TokenSpan> EncodeWithOffsets(string text)
    {
        IReadOnlyList<EncodedToken> tokens;
        using (var lease = Lease())
        {
            tokens = SplitsByCodePoint(text) ? EncodePieces(lease.Tokenizer, text) : lease.Tokenizer.EncodeToTokens(text, out _);
        }

        var spans = new TokenSpan[tokens.Count];
        for (var i = 0; i < spans.Length; i++)
        {
            spans[i] = new TokenSpan(tokens[i].Id, tokens[i].Offset.Start.Value, tokens[i].Offset.End.Value);
        }

        return spans;
    }

    public string Decode(IEnumerable<int> ids)
    {
        using var lease = Lease();
        return lease.Tokenizer.Decode(ids);
    }

    public override string ToString() => Name;

    private bool SplitsByCodePoint(ReadOnlySpan<char> text) => _codePointSplitter is not null && text.IndexOfAnyInRange('\uD800', '\uDFFF') >= 0;

    private int CountTokens(Tokenizer tokenizer, ReadOnlySpan<char> text)
    {
        if (!SplitsByCodePoint(text))
        {
            return tokenizer.CountTokens(text);
        }

        var whole = text.ToString();
        var count = 0;
        foreach (var (offset, length) in _codePointSplitter!.Split(whole))
        {
            var piece = text.Slice(offset, length);
            count += SpecialTokens.ContainsKey(whole.Substring(offset, length)) ? 1 : tokenizer.CountTokens(piece, considerPreTokenization: false, considerNormalization: false);
        }

        return count;
    }

    /// <summary>The tokens of one pre-token, by the library's byte-pair merge.</summary>
    private int CountPieceWhole(ReadOnlySpan<char> piece)
    {
        using var lease = Lease();
        return lease.Tokenizer.CountTokens(piece, considerPreTokenization: false, considerNormalization: false);
    }

    private List<EncodedToken> EncodePieces(Tokenizer tokenizer, string text)
    {
        var tokens = new List<EncodedToken>();
        foreach (var (offset, length) in _codePointSplitter!.Split(text))
        {
            var piece = text.Substring(offset, length);
            if (SpecialTokens.TryGetValue(piece, out var id))
            {
                tokens.Add(new EncodedToken(id, piece, new Range(offset, offset + length)));
                continue;
            }

            foreach (var token in tokenizer.EncodeToTokens(piece, out _, considerPreTokenization: false, considerNormalization: false))
            {
                tokens.Add(new EncodedToken(token.Id, token.Value, new Range(offset + token.Offset.Start.Value, offset + token.Offset.End.Value)));
            }
        }

        return tokens;
    }

    private PooledTokenizer Lease() => new(this, _pool.TryTake(out var tokenizer) ? tokenizer : _create());

    /// <summary>A library tokenizer taken from the pool for one call; disposing returns it.</summary>
    private readonly struct PooledTokenizer(TextTokenizer owner, Tokenizer tokenizer) : IDisposable
    {
        public Tokenizer Tokenizer { get; } = tokenizer;

        public void Dispose() => owner._pool.Add(Tokenizer);
    }

}

/// <summary>One token: its id and the characters [<see cref="Start"/>, <see cref="End"/>) of the text it came from.</summary>
public readonly record struct TokenSpan(int Id, int Start, int End);
