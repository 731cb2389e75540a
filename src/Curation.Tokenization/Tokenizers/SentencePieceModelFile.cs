using Curation.Core;

namespace Curation.Tokenization.Tokenizers;

/// <summary>
/// Loads a SentencePiece <c>tokenizer.model</c> (Llama 2, Mistral, Gemma) of type BPE or Unigram into
/// <see cref="SentencePieceEncoder"/>, which encodes as the official library does; control tokens such as
/// <c>&lt;s&gt;</c> and <c>&lt;/s&gt;</c> are special tokens; nothing is added around the text.
/// </summary>
public static class SentencePieceModelFile
{
    /// <exception cref="CurationException">The file is missing or not a SentencePiece model this can encode with.</exception>
    public static TextTokenizer Load(string path)
    {
        SentencePieceModelProto model;
        try
        {
            model = SentencePieceModelProto.Parse(File.ReadAllBytes(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CurationException($"{path}: cannot read the tokenizer: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is FormatException or OverflowException)
        {
            throw new CurationException($"{path}: not a SentencePiece model ({ex.Message})", ex);
        }

        if (model.ModelType is not (SentencePieceModelProto.Bpe or SentencePieceModelProto.Unigram))
        {
            var name = model.ModelType switch { 3 => "WORD", 4 => "CHAR", var other => other.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            throw new CurationException($"{path}: SentencePiece model_type {name} is not supported; expected BPE or UNIGRAM");
        }

        if (model.TreatWhitespaceAsSuffix)
        {
            throw new CurationException($"{path}: SentencePiece treat_whitespace_as_suffix is not supported");
        }

        try
        {
            var encoder = new SentencePieceEncoder(model);
            return new TextTokenizer(Path.GetDirectoryName(Path.GetFullPath(path)) ?? path, () => encoder, _ => encoder.SpecialTokens, piecesDependOnContext: true);
        }
        catch (FormatException ex)
        {
            throw new CurationException($"{path}: not a SentencePiece model ({ex.Message})", ex);
        }
    }
}
