using Curation.Core;
using Microsoft.ML.Tokenizers;

namespace Curation.Tokenization.Tokenizers;

/// <summary>
/// Loads a SentencePiece <c>tokenizer.model</c> (Llama 2, Mistral): the library reads the protobuf model; control
/// tokens such as <c>&lt;s&gt;</c> and <c>&lt;/s&gt;</c> are special tokens; nothing is added around the text.
/// </summary>
public static class SentencePieceModelFile
{
    /// <exception cref="CurationException">The file is missing or not a SentencePiece model.</exception>
    public static TextTokenizer Load(string path)
    {
        try
        {
            var model = File.ReadAllBytes(path);
            var plain = SentencePieceTokenizer.Create(new MemoryStream(model), addBeginningOfSentence: false, addEndOfSentence: false);
            var special = new Dictionary<string, int>(StringComparer.Ordinal)
            {
                [plain.BeginningOfSentenceToken] = plain.BeginningOfSentenceId,
                [plain.EndOfSentenceToken] = plain.EndOfSentenceId,
            };
            return new TextTokenizer(
                Path.GetDirectoryName(Path.GetFullPath(path)) ?? path,
                () => SentencePieceTokenizer.Create(new MemoryStream(model), addBeginningOfSentence: false, addEndOfSentence: false, specialTokens: special),
                _ => special);
        }
        catch (Exception ex) when ((ex is IOException or UnauthorizedAccessException) && !File.Exists(path))
        {
            throw new CurationException($"{path}: cannot read the tokenizer: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or InvalidOperationException or NotSupportedException or FormatException)
        {
            throw new CurationException($"{path}: not a SentencePiece model the tokenizer library can read ({ex.Message})", ex);
        }
    }
}
