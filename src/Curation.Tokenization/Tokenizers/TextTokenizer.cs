using Microsoft.ML.Tokenizers;

namespace Curation.Tokenization.Tokenizers;

/// <summary>
/// A tokenizer as a model sees text: ids, counts and offsets, with special tokens written in the text (such as
/// <c>&lt;|im_start|&gt;</c>) encoded as themselves. Nothing is added around the text (no beginning-of-sequence
/// token): chat templates write those. Safe to use from several threads.
/// </summary>
public sealed class TextTokenizer
{
    private readonly Tokenizer _tokenizer;

    internal TextTokenizer(string name, Tokenizer tokenizer, IReadOnlyDictionary<string, int> specialTokens)
    {
        Name = name;
        _tokenizer = tokenizer;
        SpecialTokens = specialTokens;
    }

    /// <summary>The encoding name or the model folder it was loaded from.</summary>
    public string Name { get; }

    /// <summary>Tokens matched whole in text before anything else (added and control tokens), with their ids.</summary>
    public IReadOnlyDictionary<string, int> SpecialTokens { get; }

    public int CountTokens(string text) => _tokenizer.CountTokens(text);

    public IReadOnlyList<int> Encode(string text) => _tokenizer.EncodeToIds(text);

    /// <summary>
    /// The text as the tokenizer's normaliser leaves it (Unicode NFC for Qwen2's tokenizer.json; most tokenizers
    /// have none and return it unchanged). <see cref="EncodeWithOffsets"/> offsets refer to this form.
    /// </summary>
    public bool Normalizes => _tokenizer.Normalizer is not null;

    public string Normalize(string text) => _tokenizer.Normalizer is { } normalizer ? normalizer.Normalize(text) : text;

    /// <summary>Each token's id and the range of the normalised text (see <see cref="Normalize"/>) it covers.</summary>
    public IReadOnlyList<TokenSpan> EncodeWithOffsets(string text)
    {
        var tokens = _tokenizer.EncodeToTokens(text, out _);
        var spans = new TokenSpan[tokens.Count];
        for (var i = 0; i < spans.Length; i++)
        {
            spans[i] = new TokenSpan(tokens[i].Id, tokens[i].Offset.Start.Value, tokens[i].Offset.End.Value);
        }

        return spans;
    }

    public string Decode(IEnumerable<int> ids) => _tokenizer.Decode(ids);

    public override string ToString() => Name;
}

/// <summary>One token: its id and the characters [<see cref="Start"/>, <see cref="End"/>) of the text it came from.</summary>
public readonly record struct TokenSpan(int Id, int Start, int End);
