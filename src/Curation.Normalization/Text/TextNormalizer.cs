using Curation.Core.Text;
using Curation.Core.Unicode;

namespace Curation.Normalization.Text;

/// <summary>
/// Normalises one turn's text: characters, then Unicode form, then whitespace. Each pass first checks whether it has
/// anything to do, so clean text costs a few vectorised scans and comes back as the same string instance.
/// </summary>
internal sealed class TextNormalizer
{
    private readonly CharacterCleaner _characters;
    private readonly UnicodeForm _form;
    private readonly WhitespaceCleaner? _whitespace;
    private readonly bool _plainTextUnchanged;

    public TextNormalizer(NormalizeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _characters = new CharacterCleaner(options.LineEndings == LineEndingMode.Lf, options.StripControl, options.StripZeroWidth);
        _form = options.Unicode;
        _whitespace = options.Whitespace == WhitespaceMode.None ? null : new WhitespaceCleaner(options.Whitespace == WhitespaceMode.Collapse);

        // Collapsing also looks inside lines (double spaces, tabs, blank-line runs), which the plain-text check does not cover.
        _plainTextUnchanged = options.Whitespace != WhitespaceMode.Collapse;
    }

    /// <summary>
    /// Sets <paramref name="result"/> to the normalised text (<paramref name="text"/> itself when nothing changed) and
    /// returns -1, or returns the char offset of a lone surrogate and leaves <paramref name="result"/> as the input.
    /// </summary>
    public int Normalize(string text, out string result)
    {
        result = text;
        if (_plainTextUnchanged && PlainText.IsPlainWithoutBlankBeforeLf(text) && !WhitespaceCleaner.HasBlankEnd(text))
        {
            return -1;
        }

        var scan = _characters.Scan(text);
        if (scan.LoneSurrogate >= 0)
        {
            return scan.LoneSurrogate;
        }

        var cleaned = default(PooledCharBuffer);
        var composed = default(PooledCharBuffer);
        var tidied = default(PooledCharBuffer);
        try
        {
            ReadOnlySpan<char> current = text;
            var rewritten = false;
            if (scan.FirstChange >= 0)
            {
                cleaned = new PooledCharBuffer(text.Length);
                cleaned.Append(current[..scan.FirstChange]);
                _characters.Rewrite(current[scan.FirstChange..], ref cleaned);
                current = cleaned.Span;
                rewritten = true;
            }

            if (_form != UnicodeForm.None && scan.HasNonAscii && !UnicodeNormalizer.IsNormalized(current, _form == UnicodeForm.Nfkc))
            {
                composed = new PooledCharBuffer(current.Length + 16);
                UnicodeNormalizer.Normalize(current, _form == UnicodeForm.Nfkc, ref composed);
                current = composed.Span;
                rewritten = true;
            }

            // The scan's whitespace findings describe the input; after a rewrite only the full pass can tell.
            if (_whitespace is not null && _whitespace.MayChange(current, scan.HasUnusualWhitespace || rewritten))
            {
                tidied = new PooledCharBuffer(current.Length);
                _whitespace.Clean(current, ref tidied);
                current = tidied.Span;
            }

            if (!current.SequenceEqual(text))
            {
                result = new string(current);
            }

            return -1;
        }
        finally
        {
            cleaned.Dispose();
            composed.Dispose();
            tidied.Dispose();
        }
    }
}
