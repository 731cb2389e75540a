using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using Curation.Dedup.MinHash;

namespace Curation.DedupAccuracy;

/// <summary>One document of the benchmark corpus; <see cref="Origin"/> is the base document a variant was made from, or itself.</summary>
internal sealed record Document(int Id, string Kind, string Source, string Text, int Words, int Origin);

/// <summary>
/// Assembles a corpus of real prose from what a Debian system ships: licence texts, READMEs and .txt files,
/// changelog entries and section-1 man pages with their roff markup removed.
/// </summary>
internal static partial class CorpusBuilder
{
    public const int MinWords = 50;
    public const int MaxWords = 2000;

    private const int ChangelogChunkWords = 200;
    private const int ChangelogChunksPerFile = 3;
    private const long MaxFileBytes = 4 << 20;

    private static readonly EnumerationOptions Recursive = new() { RecurseSubdirectories = true, IgnoreInaccessible = true };

    /// <summary>
    /// Up to <paramref name="count"/> distinct documents: every licence first, then READMEs/.txt, changelogs and man pages
    /// taken in turn (each list shuffled by <paramref name="random"/>) so no one source dominates.
    /// </summary>
    public static List<Document> Build(int count, SeededRandom random, TextSimplifier simplifier)
    {
        var licences = Files("/usr/share/common-licenses", recursive: false, _ => true);
        var readmes = Files("/usr/share/doc", recursive: true, name =>
            name.StartsWith("README", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".txt", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".txt.gz", StringComparison.OrdinalIgnoreCase));
        var changelogs = Files("/usr/share/doc", recursive: true, name => name.StartsWith("changelog", StringComparison.OrdinalIgnoreCase));
        var manPages = Files("/usr/share/man/man1", recursive: false, name => name.EndsWith(".gz", StringComparison.Ordinal));
        foreach (var list in new[] { readmes, changelogs, manPages })
        {
            random.Shuffle(list);
        }

        var documents = new List<Document>(count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Offer(string kind, string source, string text)
        {
            var (trimmed, words) = TakeWords(text, MaxWords);
            if (documents.Count < count && words >= MinWords && seen.Add(simplifier.Simplify(trimmed)))
            {
                documents.Add(new Document(documents.Count, kind, source, trimmed, words, documents.Count));
            }
        }

        foreach (var path in licences)
        {
            Offer("licence", path, Read(path) ?? "");
        }

        var streams = new (string Kind, List<string> Paths, Func<string, IEnumerable<string>> Split)[]
        {
            ("readme", readmes, text => [text]),
            ("changelog", changelogs, ChangelogChunks),
            ("man", manPages, text => [StripRoff(text)]),
        };
        var next = new int[streams.Length];
        while (documents.Count < count && streams.Select((s, i) => next[i] < s.Paths.Count).Any(left => left))
        {
            for (var i = 0; i < streams.Length && documents.Count < count; i++)
            {
                if (next[i] < streams[i].Paths.Count && Read(streams[i].Paths[next[i]++]) is { } text)
                {
                    foreach (var part in streams[i].Split(text))
                    {
                        Offer(streams[i].Kind, streams[i].Paths[next[i] - 1], part);
                    }
                }
            }
        }

        return documents;
    }

    /// <summary>The text up to its <paramref name="max"/>th word, and how many words that is.</summary>
    public static (string Text, int Words) TakeWords(string text, int max)
    {
        var words = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (!char.IsWhiteSpace(text[i]) && (i == 0 || char.IsWhiteSpace(text[i - 1])) && ++words > max)
            {
                return (text[..i], max);
            }
        }

        return (text, words);
    }

    /// <summary>Man page text: comment and request lines dropped, except the words of section and font macros; escapes removed.</summary>
    public static string StripRoff(string roff)
    {
        var text = new StringBuilder(roff.Length);
        foreach (var raw in roff.Split('\n'))
        {
            var line = raw;
            if (line.StartsWith('.') || line.StartsWith('\''))
            {
                var macro = TextMacro().Match(line);
                if (!macro.Success)
                {
                    continue;
                }

                line = macro.Groups[1].Value.Replace("\"", "", StringComparison.Ordinal);
            }

            line = FontEscape().Replace(line, "");
            line = line.Replace("\\-", "-", StringComparison.Ordinal).Replace("\\&", "", StringComparison.Ordinal)
                .Replace("\\e", "\\", StringComparison.Ordinal);
            text.AppendLine(OtherEscape().Replace(line, " "));
        }

        return text.ToString();
    }

    /// <summary>
    /// The most recent entries of a changelog (an entry starts at column 0 after a blank line), grouped into chunks of at
    /// least <see cref="ChangelogChunkWords"/> words, so one package yields several related but distinct documents.
    /// </summary>
    public static IEnumerable<string> ChangelogChunks(string text)
    {
        var lines = text.Split('\n');
        var chunk = new StringBuilder();
        var (words, chunks) = (0, 0);
        for (var i = 0; i < lines.Length && chunks < ChangelogChunksPerFile; i++)
        {
            var line = lines[i];
            var startsEntry = line.Length > 0 && !char.IsWhiteSpace(line[0]) && (i == 0 || lines[i - 1].Trim().Length == 0);
            if (startsEntry && words >= ChangelogChunkWords)
            {
                yield return chunk.ToString();
                (chunk, words) = (new StringBuilder(), 0);
                chunks++;
            }

            chunk.Append(line).Append('\n');
            words += line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
        }

        if (chunks < ChangelogChunksPerFile && words > 0)
        {
            yield return chunk.ToString();
        }
    }

    private static List<string> Files(string directory, bool recursive, Func<string, bool> nameMatches)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var files = Directory.EnumerateFiles(directory, "*", recursive ? Recursive : new EnumerationOptions { IgnoreInaccessible = true })
            .Where(path => nameMatches(Path.GetFileName(path)))
            .ToList();
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    /// <summary>The file as UTF-8 text (gunzipped if it ends in .gz), or null if unreadable, too large or binary.</summary>
    private static string? Read(string path)
    {
        try
        {
            if (new FileInfo(path).Length > MaxFileBytes)
            {
                return null;
            }

            using var file = File.OpenRead(path);
            using Stream stream = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var text = reader.ReadToEnd();
            return text.Contains('\0', StringComparison.Ordinal) || text.Length > 4 * MaxFileBytes ? null : text;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"^[.'](?:SH|SS|B|I|BR|IR|RB|RI|BI|IB|SM|SB|Nm|Nd|Sh|Ss)\s+(.*)$")]
    private static partial Regex TextMacro();

    [GeneratedRegex(@"\\f(?:\[[^\]]*\]|\(..|.)")]
    private static partial Regex FontEscape();

    [GeneratedRegex(@"\\(?:\(..|\[[^\]]*\]|\*\(..|\*.|.)")]
    private static partial Regex OtherEscape();
}
