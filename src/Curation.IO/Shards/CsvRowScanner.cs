using System.Buffers;

namespace Curation.IO.Shards;

/// <summary>
/// Follows the bytes of a CSV/TSV file as <see cref="Readers.CsvRowReader"/>'s parser (CsvHelper, RFC 4180 mode,
/// blank lines skipped) splits them into rows, and reports every place after a line feed where a row begins. Only
/// quotes, line breaks and the delimiter decide where a row ends, and all of them are ASCII, so bytes stand for the
/// characters the parser sees (invalid UTF-8 never hides an ASCII byte). As the parser: a field is quoted only when
/// its first character is a quote; inside it <c>""</c> is a quote and a line break is part of the cell; a quote after
/// the closing one, with no quote just before it, makes the cell bad data and later quotes of that cell change
/// nothing; a quote inside an unquoted field is bad data and opens nothing; a delimiter of several characters is
/// matched without backtracking; CR, LF and CRLF end a row, and a row that is only a line break is skipped.
/// </summary>
internal sealed class CsvRowScanner
{
    private const byte Quote = (byte)'"';
    private const byte Cr = (byte)'\r';
    private const byte Lf = (byte)'\n';

    private readonly byte[] _delimiter;
    private readonly SearchValues<byte> _special;
    private bool _rowStart = true;
    private bool _fieldStart = true;
    private bool _fieldQuoted;
    private bool _inQuotes;
    private bool _badData;
    private bool _afterRowCr;
    private int _delimiterMatched;
    private byte _previous;

    /// <param name="delimiter">ASCII bytes, without a quote or a line break.</param>
    public CsvRowScanner(byte[] delimiter)
    {
        ArgumentNullException.ThrowIfNull(delimiter);
        if (delimiter.Length == 0 || delimiter.Any(b => b is Quote or Cr or Lf or >= 0x80))
        {
            throw new ArgumentException("expected ASCII characters other than a quote or a line break", nameof(delimiter));
        }

        _delimiter = delimiter;
        _special = SearchValues.Create([Quote, Cr, Lf, delimiter[0]]);
    }

    /// <summary>Line breaks so far, counted as the parser counts them: CR, and LF not right after CR, in cells or not.</summary>
    public long Lines { get; private set; }

    /// <summary>Rows ended so far, the header row included, blank lines not.</summary>
    public long Rows { get; private set; }

    /// <summary>Feeds the next bytes of the file; <paramref name="rowStart"/> is told the offset of each row start that follows a line feed.</summary>
    /// <param name="offset">Where <paramref name="bytes"/> lie in the file.</param>
    public void Feed(ReadOnlySpan<byte> bytes, long offset, Action<long> rowStart)
    {
        ArgumentNullException.ThrowIfNull(rowStart);
        var at = 0;
        while (at < bytes.Length)
        {
            if (!_rowStart && !_fieldStart && !_afterRowCr && _delimiterMatched == 0)
            {
                // Inside a field nothing but these bytes changes the state.
                var skip = bytes[at..].IndexOfAny(_special);
                if (skip < 0)
                {
                    _previous = bytes[^1];
                    return;
                }

                if (skip > 0)
                {
                    at += skip;
                    _previous = bytes[at - 1];
                }
            }

            var b = bytes[at];
            at++;
            if (b == Cr || (b == Lf && _previous != Cr))
            {
                Lines++;
            }

            Step(b, offset + at, rowStart);
            _previous = b;
        }
    }

    private void Step(byte b, long after, Action<long> rowStart)
    {
        if (_afterRowCr)
        {
            _afterRowCr = false;
            if (b == Lf)
            {
                rowStart(after);
                return;
            }
        }

        if (_delimiterMatched > 0)
        {
            if (b == _delimiter[_delimiterMatched])
            {
                if (++_delimiterMatched == _delimiter.Length)
                {
                    EndField();
                }

                return;
            }

            // The parser steps back and reads this byte afresh.
            _delimiterMatched = 0;
        }

        if (_rowStart && b is Cr or Lf)
        {
            EndLine(b, after, rowStart);
            return;
        }

        _rowStart = false;
        var firstOfField = _fieldStart;
        _fieldStart = false;
        if (firstOfField)
        {
            _fieldQuoted = b == Quote;
        }

        if (_fieldQuoted)
        {
            if (b == Quote)
            {
                if (!_inQuotes && !firstOfField && _previous != Quote)
                {
                    _badData = true;
                }
                else if (!_badData)
                {
                    _inQuotes = !_inQuotes;
                }
            }

            if (_inQuotes)
            {
                return;
            }
        }
        else if (b == Quote)
        {
            _badData = true;
        }

        if (b == _delimiter[0])
        {
            if (_delimiter.Length == 1)
            {
                EndField();
            }
            else
            {
                _delimiterMatched = 1;
            }

            return;
        }

        if (b is Cr or Lf)
        {
            Rows++;
            EndLine(b, after, rowStart);
        }
    }

    private void EndField()
    {
        _delimiterMatched = 0;
        _fieldStart = true;
        _badData = false;
    }

    // A row, or a blank line, ends at CR, LF or CRLF; the next row starts after it.
    private void EndLine(byte b, long after, Action<long> rowStart)
    {
        EndField();
        _rowStart = true;
        if (b == Cr)
        {
            _afterRowCr = true;
        }
        else
        {
            rowStart(after);
        }
    }
}
