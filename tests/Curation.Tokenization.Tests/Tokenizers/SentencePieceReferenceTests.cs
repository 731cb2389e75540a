using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Curation.TestKit;
using Curation.Tokenization.Tokenizers;
using Microsoft.ML.Tokenizers;
using Xunit.Abstractions;

namespace Curation.Tokenization.Tests.Tokenizers;

/// <summary>
/// Our SentencePiece encoding against the official library (Debian's python3-sentencepiece 0.1.97): the test writes a
/// corpus, Reference/sentencepiece_reference.py trains BPE and Unigram models on it and encodes the strings, and ours
/// must give the same ids for every string. Skipped with a message where python3-sentencepiece is absent.
/// </summary>
public sealed class SentencePieceReferenceTests(ITestOutputHelper output)
{
    private static readonly string[] Words =
    [
        "the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "hello", "world", "aaa", "bbb", "zzzz", "mississippi",
        "banana", "data", "curation", "tokens", "model", "ﬁnance", "café", "naïve", "０１２", "Ⅻ", "letter", "bookkeeper", "<sep>",
    ];

    [SkippableFact]
    public void Encode_GivesTheOfficialLibrarysIds_ForBpeAndUnigramModels()
    {
        var python = FindPythonWithSentencePiece();
        Skip.If(python is null, "python3 with sentencepiece not found (apt-get install python3-sentencepiece)");

        using var temp = new TempFolder();
        var strings = Strings();
        File.WriteAllText(temp.File("corpus.txt"), Corpus());
        File.WriteAllText(temp.File("strings.json"), JsonSerializer.Serialize(strings));
        var script = Path.Combine(AppContext.BaseDirectory, "Tokenizers", "Reference", "sentencepiece_reference.py");
        using (var process = Process.Start(new ProcessStartInfo(python, [script, temp.File("corpus.txt"), temp.File("strings.json"), temp.Path]) { RedirectStandardError = true })!)
        {
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, error);
        }

        using var expected = JsonDocument.Parse(File.ReadAllText(temp.File("ids.json")));
        var failures = new List<string>();
        foreach (var model in expected.RootElement.EnumerateObject())
        {
            var tokenizer = SentencePieceModelFile.Load(temp.File(model.Name + ".model"));
            var library = LibraryTokenizer(temp.File(model.Name + ".model"));
            int ours = 0, libraryDiffers = 0;
            var i = 0;
            foreach (var ids in model.Value.EnumerateArray())
            {
                var reference = ids.EnumerateArray().Select(id => id.GetInt32()).ToArray();
                var actual = tokenizer.Encode(strings[i]).ToArray();
                if (!actual.SequenceEqual(reference))
                {
                    ours++;
                    failures.Add($"{model.Name} {JsonSerializer.Serialize(strings[i])}: expected [{string.Join(", ", reference)}], got [{string.Join(", ", actual)}]");
                }

                if (tokenizer.CountTokens(strings[i]) != actual.Length)
                {
                    failures.Add($"{model.Name} {JsonSerializer.Serialize(strings[i])}: counted {tokenizer.CountTokens(strings[i])}, encoded {actual.Length}");
                }

                AssertOffsetsCoverTheText(tokenizer, strings[i]);
                libraryDiffers += library is not null && !library.EncodeToIds(strings[i]).SequenceEqual(reference) ? 1 : 0;
                i++;
            }

            output.WriteLine($"{model.Name}: {strings.Length} strings, ours differ on {ours}, Microsoft.ML.Tokenizers' SentencePiece on {(library is null ? "- (cannot load)" : libraryDiffers)}");
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(10)));
    }

    private static void AssertOffsetsCoverTheText(TextTokenizer tokenizer, string text)
    {
        var previous = 0;
        foreach (var token in tokenizer.EncodeWithOffsets(text))
        {
            Assert.InRange(token.Start, previous, text.Length);
            Assert.InRange(token.End, token.Start, text.Length);
            previous = token.Start;
        }
    }

    private static SentencePieceTokenizer? LibraryTokenizer(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return SentencePieceTokenizer.Create(stream, addBeginningOfSentence: false, addEndOfSentence: false);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or NotSupportedException or FormatException)
        {
            return null;
        }
    }

    private static string Corpus()
    {
        var random = new Random(7);
        var corpus = new StringBuilder();
        for (var line = 0; line < 3000; line++)
        {
            corpus.AppendJoin(' ', Enumerable.Range(0, 12).Select(_ => Words[random.Next(Words.Length)])).Append('\n');
        }

        return corpus.ToString();
    }

    /// <summary>160 strings: runs of one repeated character (where the library's BPE went wrong), words, whitespace, compatibility characters, unknown characters.</summary>
    internal static string[] Strings()
    {
        var strings = new List<string>();
        foreach (var c in "abzls")
        {
            for (var n = 1; n <= 14; n++)
            {
                strings.Add(new string(c, n));
            }
        }

        for (var n = 2; n <= 11; n++)
        {
            strings.Add($"x {new string('a', n)} {new string('b', n)}{new string('z', n)} pe{new string('p', n)}er");
        }

        string[] others =
        [
            "", " ", "   ", "hello world", "  hello   world  ", "hello\tworld\nagain\r\n", "\n\nleading newlines", "trailing  \t ",
            "mississippi banana bookkeeper", "the quick brown fox jumps over the lazy dog", "ﬁnance Ⅻ ０１２ café naïve",
            "cafe\u0301 nai\u0308ve", "ＦＵＬＬ ｗｉｄｔｈ", "𝐇ello 𝟙𝟚𝟛", "日本語 unknown 😀 emoji", "x<sep>y <sep> z<sep>", "<sep>",
            "Hello World UPPER", "a\u00A0b\u2003c", "tab\tsep\u200Bzero width", "\u0000control\u0001", "dog.dog,dog!dog?",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "zzzz zzzz zzzzzzzz", "bbbbbbbbb aaa",
            "lazy  dog   fox    jumps", "ßtraße ǅ ﬀ ﬃ", "hello\u2581world ▁▁ x", "Ⅻ Ⅻ Ⅻ", "model tokens data curation",
        ];
        strings.AddRange(others);
        var random = new Random(11);
        while (strings.Count < 160)
        {
            strings.Add(string.Join(random.Next(4) == 0 ? "  " : " ", Enumerable.Range(0, random.Next(1, 8)).Select(_ => Words[random.Next(Words.Length)])));
        }

        return [.. strings];
    }

    /// <summary>Debian's python3 (which python3-sentencepiece installs into) first, then whatever python3 is on PATH.</summary>
    private static string? FindPythonWithSentencePiece()
    {
        foreach (var candidate in new[] { "/usr/bin/python3", "python3" })
        {
            try
            {
                using var probe = Process.Start(new ProcessStartInfo(candidate, ["-c", "import sentencepiece"]) { RedirectStandardError = true, RedirectStandardOutput = true });
                if (probe is null)
                {
                    continue;
                }

                probe.WaitForExit();
                if (probe.ExitCode == 0)
                {
                    return candidate;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
            }
        }

        return null;
    }
}
