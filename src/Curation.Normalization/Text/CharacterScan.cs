namespace Curation.Normalization.Text;

/// <summary>What one pass over a text found.</summary>
internal readonly record struct CharacterScan(int FirstChange, int LoneSurrogate, bool HasNonAscii, bool HasUnusualWhitespace)
{
    /// <summary>Printable ASCII with tabs and LFs only: nothing for the character pass to do.</summary>
    public static CharacterScan Plain { get; } = new(-1, -1, false, false);
}
