namespace Curation.Filters.Quality.Text;

/// <summary>A growable char buffer owned by one thread, reused from record to record instead of building strings.</summary>
internal sealed class CharScratch
{
    private char[] _buffer = new char[1024];

    /// <summary><paramref name="length"/> chars of the buffer, grown if need be; the contents are whatever was there before.</summary>
    public Span<char> Take(int length)
    {
        if (_buffer.Length < length)
        {
            _buffer = new char[Math.Max(length, _buffer.Length * 2)];
        }

        return _buffer.AsSpan(0, length);
    }
}
