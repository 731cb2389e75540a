using System.Collections.Concurrent;
using Curation.Core;
using Microsoft.ML.Tokenizers;

namespace Curation.Tokenization.Tokenizers;

/// <summary>
/// Finds a tokenizer by name: a named encoding (<see cref="Encodings"/>), or a model folder holding
/// <c>tokenizer.json</c> (byte-level BPE) or <c>tokenizer.model</c> (SentencePiece), or one of those files. Each is
/// loaded once per process.
/// </summary>
public static class TokenizerCatalog
{
    public static IReadOnlyList<string> Encodings { get; } = ["gpt2", "r50k_base", "cl100k_base", "o200k_base"];

    /// <summary>tiktoken's split regexes (in its Rust syntax), for text the library's UTF-16 regexes split differently.</summary>
    internal static string SplitPattern(string encoding) => encoding switch
    {
        "cl100k_base" => @"'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s",
        "o200k_base" => string.Join('|',
            @"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
            @"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
            @"\p{N}{1,3}",
            @" ?[^\s\p{L}\p{N}]+[\r\n/]*",
            @"\s*[\r\n]+",
            @"\s+(?!\S)",
            @"\s+"),
        _ => @"'(?:[sdmt]|ll|ve|re)| ?\p{L}++| ?\p{N}++| ?[^\s\p{L}\p{N}]++|\s++$|\s+(?!\S)|\s",
    };

    private static readonly ConcurrentDictionary<string, Lazy<TextTokenizer>> Loaded = new(StringComparer.Ordinal);

    /// <param name="nameOrPath">An encoding name, or a folder or file path relative to <paramref name="baseDirectory"/>.</param>
    /// <exception cref="CurationException">Neither a known encoding nor a readable tokenizer.</exception>
    public static TextTokenizer Load(string nameOrPath, string baseDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrPath);
        var key = Encodings.Contains(nameOrPath) ? nameOrPath : Path.GetFullPath(nameOrPath, baseDirectory);
        var lazy = Loaded.GetOrAdd(key, k => new Lazy<TextTokenizer>(() => Create(nameOrPath, k)));
        try
        {
            return lazy.Value;
        }
        catch (CurationException)
        {
            Loaded.TryRemove(key, out _);
            throw;
        }
    }

    /// <summary>
    /// ChatML's turn markers as one token each, as OpenAI's chat format counts them: with the ids cl100k_im gives them
    /// for cl100k_base, and the first free ids for the other encodings.
    /// </summary>
    private static Dictionary<string, int> ChatMarkers(string encoding)
    {
        var first = encoding switch
        {
            "cl100k_base" => 100264,
            "o200k_base" => 200019,
            _ => 50257 + 1,
        };
        return new Dictionary<string, int>(StringComparer.Ordinal) { ["<|im_start|>"] = first, ["<|im_end|>"] = first + 1 };
    }

    private static TextTokenizer Create(string name, string key)
    {
        if (Encodings.Contains(key))
        {
            var markers = ChatMarkers(key);
            return new TextTokenizer(
                key,
                () => key == "gpt2" ? TiktokenTokenizer.CreateForModel("gpt2", markers) : TiktokenTokenizer.CreateForEncoding(key, markers),
                tokenizer => ((TiktokenTokenizer)tokenizer).SpecialTokens ?? new Dictionary<string, int>(),
                instancesUpFront: Environment.ProcessorCount,
                splitPattern: SplitPattern(key));
        }

        if (Directory.Exists(key))
        {
            var json = Path.Combine(key, "tokenizer.json");
            var model = Path.Combine(key, "tokenizer.model");
            return File.Exists(json) ? HuggingFaceTokenizerJson.Load(json)
                : File.Exists(model) ? SentencePieceModelFile.Load(model)
                : throw new CurationException($"tokenizer '{name}': {key} has neither tokenizer.json nor tokenizer.model");
        }

        if (File.Exists(key))
        {
            return key.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? HuggingFaceTokenizerJson.Load(key) : SentencePieceModelFile.Load(key);
        }

        throw new CurationException($"tokenizer '{name}': not a named encoding ({string.Join(", ", Encodings)}) nor an existing model folder or tokenizer file");
    }
}
