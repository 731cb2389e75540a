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

    /// <param name="create">Makes one library tokenizer; called now, so that a bad file fails here.</param>
    /// <param name="instancesUpFront">How many to make now (the rest as callers need them).</param>
    internal TextTokenizer(string name, Func<Tokenizer> create, Func<Tokenizer, IReadOnlyDictionary<string, int>> specialTokens, int instancesUpFront = 1)
    {
        Name = name;
        _create = create;
        var first = create();
        _pool = [first, .. Enumerable.Range(1, Math.Max(0, instancesUpFront - 1)).AsParallel().Select(_ => create())];
        SpecialTokens = specialTokens(first);
        _normalizer = first.Normalizer;
    }

    /// <summary>The encoding name or the model folder it was loaded from.</summary>
    public string Name { get; }

    /// <summary>Tokens matched whole in text before anything else (added and control tokens), with their ids.</summary>
    public IReadOnlyDictionary<string, int> SpecialTokens { get; }

    public int CountTokens(string text)
    {
        var tokenizer = Rent();
        try
        {
            return tokenizer.CountTokens(text);
        }
        finally
        {
            _pool.Add(tokenizer);
        }
    }

    /// <summary>Counts the tokens of each of <paramref name="pieces"/> of <paramref name="text"/>, encoding each piece alone.</summary>
    public void CountTokens(ReadOnlySpan<char> text, ReadOnlySpan<Range> pieces, Span<int> counts)
    {
        var tokenizer = Rent();
        try
        {
            for (var i = 0; i < pieces.Length; i++)
            {
                counts[i] = tokenizer.CountTokens(text[pieces[i]]);
            }
        }
        finally
        {
            _pool.Add(tokenizer);
        }
    }

    public int CountTokens(ReadOnlySpan<char> text)
    {
        var tokenizer = Rent();
        try
        {
            return tokenizer.CountTokens(text);
        }
        finally
        {
            _pool.Add(tokenizer);
        }
    }

    /// <summary>Whether <paramref name="text"/> begins with one of <see cref="SpecialTokens"/>.</summary>
    public bool StartsWithSpecialToken(string text) => SpecialTokens.Keys.Any(token => text.StartsWith(token, StringComparison.Ordinal));

    public IReadOnlyList<int> Encode(string text)
    {
        var tokenizer = Rent();
        try
        {
            return tokenizer.EncodeToIds(text);
        }
        finally
        {
            _pool.Add(tokenizer);
        }
    }

    /// <summary>
    /// The text as the tokenizer's normaliser leaves it (Unicode NFC for Qwen2's tokenizer.json; most tokenizers
    /// have none and return it unchanged). <see cref="EncodeWithOffsets"/> offsets refer to this form.
    /// </summary>
    public bool Normalizes => _normalizer is not null;

    public string Normalize(string text) => _normalizer is { } normalizer ? normalizer.Normalize(text) : text;

    /// <summary>Each token's id and the range of the normalised text (see <see cref="Normalize"/>) it covers.</summary>
    public IReadOnlyList<TokenSpan> EncodeWithOffsets(string text)
    {
        var tokenizer = Rent();
        IReadOnlyList<EncodedToken> tokens;
        try
        {
            tokens = tokenizer.EncodeToTokens(text, out _);
        }
        finally
        {
            _pool.Add(tokenizer);
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
        var tokenizer = Rent();
        try
        {
            return tokenizer.Decode(ids);
        }
        finally
        {
            _pool.Add(tokenizer);
        }
    }

    public override string ToString() => Name;

    private Tokenizer Rent() => _pool.TryTake(out var tokenizer) ? tokenizer : _create();

}

/// <summary>One token: its id and the characters [<see cref="Start"/>, <see cref="End"/>) of the text it came from.</summary>
public readonly record struct TokenSpan(int Id, int Start, int End);
