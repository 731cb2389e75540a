using System.Text;
using Curation.DataGen.Text;

namespace Curation.Benchmarks.Corpus;

/// <summary>
/// Makes clean text look like a careless export: CRLF line breaks, trailing spaces and blank lines, zero-width
/// spaces, soft hyphens, a leading BOM, and accented words in decomposed (NFD) form. Every line breaks CRLF, so every
/// turn with more than one line needs rewriting.
/// </summary>
internal sealed class Dirt
{
    private static readonly string[] DecomposedWords =
    [
        "cafe\u0301", "re\u0301sume\u0301", "nai\u0308ve", "Zu\u0308rich", "fac\u0327ade", "jalapen\u0303o",
        "Malmo\u0308", "Sa\u0303o Paulo", "pin\u0303ata", "cre\u0300me bru\u0302le\u0301e",
    ];

    private readonly DeterministicRandom _rng;
    private readonly StringBuilder _text = new(4096);

    public Dirt(DeterministicRandom rng)
    {
        _rng = rng;
    }

    public string Apply(string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        _text.Clear();
        if (_rng.Chance(0.1))
        {
            _text.Append('\uFEFF');
        }

        var lines = content.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (i > 0)
            {
                _text.Append("\r\n");
            }

            AppendLine(lines[i]);
        }

        if (_rng.Chance(0.2))
        {
            _text.Append("\r\n\r\n");
        }

        return _text.ToString();
    }

    private void AppendLine(string line)
    {
        var space = line.Length > 20 ? line.IndexOf(' ', _rng.Next(line.Length / 2)) : -1;
        if (space < 0)
        {
            _text.Append(line);
        }
        else
        {
            _text.Append(line, 0, space + 1);
            switch (_rng.Next(4))
            {
                case 0:
                    _text.Append('\u200B');
                    break;
                case 1:
                    _text.Append(_rng.Pick(DecomposedWords)).Append(' ');
                    break;
                case 2:
                    _text.Append("well\u00ADknown ");
                    break;
                default:
                    break;
            }

            _text.Append(line, space + 1, line.Length - space - 1);
        }

        if (_rng.Chance(0.3))
        {
            _text.Append("  ");
        }
    }
}
