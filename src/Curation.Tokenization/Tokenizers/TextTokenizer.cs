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
        using var lease = Lease();
        return lease.Tokenizer.CountTokens(text);
    }

    public int CountTokens(ReadOnlySpan<char> text)
    {
        using var lease = Lease();
        return lease.Tokenizer.CountTokens(text);
    }

    /// <summary>Counts the tokens of each of <paramref name="pieces"/> of <paramref name="text"/>, encoding each piece alone.</summary>
    public void CountTokens(ReadOnlySpan<char> text, ReadOnlySpan<Range> pieces, Span<int> counts)
    {
        using var lease = Lease();
        for (var i = 0; i < pieces.Length; i++)
        {
            counts[i] = lease.Tokenizer.CountTokens(text[pieces[i]]);
        }
    }

    /// <summary>Whether <paramref name="text"/> begins with one of <see cref="SpecialTokens"/>.</summary>
    public bool StartsWithSpecialToken(string text) => SpecialTokens.Keys.Any(token => text.StartsWith(token, StringComparison.Ordinal));

    public IReadOnlyList<int> Encode(string text)
    {
        using var lease = Lease();
        return lease.Tokenizer.EncodeToIds(text);
    }

    /// <summary>Whether the tokenizer normalises text before encoding it (Unicode NFC for Qwen2's tokenizer.json).</summary>
    public bool Normalizes => _normalizer is not null;

    /// <summary>The text as the tokenizer's normaliser leaves it; <see cref="EncodeWithOffsets"/> offsets refer to this form.</summary>
    public string Normalize(string text) => _normalizer is { } normalizer ? normalizer.Normalize(text) : text;

    /// <summary>Each token's id and the range of the normalised text (see <see cref="Normalize"/>) it covers.</summary>
    public IReadOnlyList<TokenSpan> EncodeWithOffsets(string text)
    {
        IReadOnlyList<EncodedToken> tokens;
        using (var lease = Lease())
        {
            tokens = lease.Tokenizer.EncodeToTokens(text, out _);
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
