using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Curation.TestKit;
using Curation.Tokenization.Tokenizers;
using Microsoft.ML.Tokenizers;

namespace Curation.Tokenization.Tests.Tokenizers;

/// <summary>
/// The counting path (<see cref="PreTokenCounter"/>: hand-coded ASCII splitting, per-thread cache of pre-token counts)
/// against independent ones: its pre-tokens against the split regex run over code points (<see cref="SplitPreTokenizer"/>),
/// and its counts against the number of ids the encoder gives (the library's own pre-tokenizer for named encodings).
/// </summary>
public class PreTokenCounterTests
{
    private const string Llama3Pattern = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";
    private const string Qwen2Pattern = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    // Pieces that meet every branch of the split patterns: contractions in both cases and near misses, case runs,
    // digits of several scripts, whitespace kinds (newlines, Unicode spaces), marks, letters and symbols outside the
    // BMP, a lone surrogate, control characters, punctuation runs, and special tokens.
    private static readonly string[] Fragments =
    [
        "a", "Z", "hello", "World", "HTMLParser", "iPhone", "'s", "'S", "'ll", "'LL", "'Re", "'ve", "'m", "'d", "'t", "'x", "'l", "'", "\u2019s",
        " ", "  ", "   ", "\t", "\n", "\r\n", "\n\n ", " \n", "\v", "\f", "\u0085", "\u00A0", "\u3000", "\u2028",
        "1", "12", "12345", "\u0663\u0664", "\u216B", "\u00BD", "\uD835\uDFD8",
        "\u00E9", "\u017F", "\u212A", "\u4E2D\u6587", "\u041F\u0440\u0438\u0432\u0435\u0442", "e\u0301", "\u0301", "\u01C5", "\u02B0", "\u0628\u0627",
        "\uD83D\uDE00", "\uD83D\uDC4D\uD83C\uDFFD", "\uD835\uDC07", "\uD835\uDC1A", "\uD800", "\uDC00",
        "\u0000", "\u001F", "\u007F", "!", "...", "/", "//", "(", ")", "-", "_", "{\n", "};\r\n/", "<", "|",
        "<|im_start|>", "<|im_end|>", "<|endoftext|>",
    ];

    public static TheoryData<string> Patterns() =>
    [
        TokenizerCatalog.SplitPattern("cl100k_base"),
        TokenizerCatalog.SplitPattern("o200k_base"),
        Llama3Pattern,
        Qwen2Pattern,
        TokenizerCatalog.SplitPattern("gpt2"),
    ];

    [Theory]
    [MemberData(nameof(Patterns))]
    public void PreTokens_AreTheSplitRegexsMatchesOverCodePoints(string pattern)
    {
        var special = new Dictionary<string, int> { ["<|im_start|>"] = 1, ["<|im_end|>"] = 2, ["<|endoftext|>"] = 3 };
        var reference = new SplitPreTokenizer([new SplitStep(new CodePointRegex(pattern))], special);
        var counter = new PreTokenCounter(reference, special, normalizer: null, piece => piece.Length);

        foreach (var text in GeneratedTexts(seed: 1, count: 4000).Concat(RealisticTexts()))
        {
            Assert.Equal(reference.Split(text), counter.Split(text));
        }
    }

    [Fact]
    public void KnownPatterns_AreHandCoded_OthersRunTheRegex()
    {
        Assert.NotNull(AsciiSplitGrammar.For(TokenizerCatalog.SplitPattern("cl100k_base")));
        Assert.NotNull(AsciiSplitGrammar.For(TokenizerCatalog.SplitPattern("o200k_base")));
        Assert.NotNull(AsciiSplitGrammar.For(Llama3Pattern));
        Assert.NotNull(AsciiSplitGrammar.For(Qwen2Pattern));
        Assert.Null(AsciiSplitGrammar.For(TokenizerCatalog.SplitPattern("gpt2")));
        Assert.True(TokenizerCatalog.Load("cl100k_base", ".").Counter!.HasAsciiGrammar);
    }

    [Theory]
    [InlineData("cl100k_base")]
    [InlineData("o200k_base")]
    [InlineData("gpt2")]
    public void Counts_EqualTheEncodersIdCount(string encoding)
    {
        var tokenizer = TokenizerCatalog.Load(encoding, ".");

        foreach (var text in RealisticTexts().Concat(GeneratedTexts(seed: 2, count: 1500)))
        {
            Assert.Equal(tokenizer.Encode(text).Count, tokenizer.CountTokens(text));
        }
    }

    [Fact]
    public void Counts_StayExact_WhenTheCacheIsFull()
    {
        var reference = TokenizerCatalog.Load("cl100k_base", ".");
        var library = TiktokenTokenizer.CreateForEncoding("cl100k_base", new Dictionary<string, int> { ["<|im_start|>"] = 100264, ["<|im_end|>"] = 100265 });
        var special = library.SpecialTokens!;
        var splitter = new SplitPreTokenizer([new SplitStep(new CodePointRegex(TokenizerCatalog.SplitPattern("cl100k_base")))], special);
        var misses = 0;
        var counter = new PreTokenCounter(splitter, special, normalizer: null, piece =>
        {
            misses++;
            return library.CountTokens(piece, considerPreTokenization: false, considerNormalization: false);
        }, cacheCapacity: 16);

        var texts = RealisticTexts().ToList();
        foreach (var text in texts)
        {
            Assert.Equal(reference.Encode(text).Count, counter.Count(text));
            Assert.InRange(counter.MostCached, 0, 16);
        }

        // A full cache is emptied and filled again: with room for 16 pre-tokens most of these are counted afresh.
        Assert.True(misses > 1000, $"{misses} pre-tokens counted afresh");
    }

    [Fact]
    public void RepeatedPreTokens_AreCountedFromTheCache()
    {
        var library = TiktokenTokenizer.CreateForEncoding("cl100k_base");
        var splitter = new SplitPreTokenizer([new SplitStep(new CodePointRegex(TokenizerCatalog.SplitPattern("cl100k_base")))], null);
        var misses = 0;
        var counter = new PreTokenCounter(splitter, new Dictionary<string, int>(), normalizer: null, piece =>
        {
            misses++;
            return library.CountTokens(piece, considerPreTokenization: false, considerNormalization: false);
        });
        const string text = "the cat and the dog and the bird";

        var first = counter.Count(text);
        var missesAfterFirst = misses;
        var second = counter.Count(text);

        Assert.Equal(library.CountTokens(text), first);
        Assert.Equal(first, second);
        Assert.Equal(6, missesAfterFirst); // "the", " cat", " and", " the", " dog", " bird"
        Assert.Equal(missesAfterFirst, misses);
    }

    [Fact]
    public void RegexInstances_AreEachTheirOwn_AndMatchAsTheRegexDoes()
    {
        var regex = new CodePointRegex(TokenizerCatalog.SplitPattern("cl100k_base"));
        var first = regex.CreateInstance();
        var second = regex.CreateInstance();
        const string Text = "Hello, world! It's 12345 \u4E2D\u6587\n\n  ok ";
        var expected = new List<(int Start, int Length)>();
        regex.Matches(Text, 0, Text.Length, expected);

        Assert.NotSame(first, second);
        Assert.Equal(regex.CreateInstance().ToString(), first.ToString());
        Assert.True(first.Options.HasFlag(RegexOptions.Compiled));
        Assert.Equal(expected, first.Matches(Text).Where(match => match.Length > 0).Select(match => (match.Index, match.Length)));
        Assert.Equal(expected, second.Matches(Text).Where(match => match.Length > 0).Select(match => (match.Index, match.Length)));
    }

    [Fact]
    public void ManyThreads_CountAsOne()
    {
        var counter = NewCounter("o200k_base");
        var reference = TokenizerCatalog.Load("o200k_base", ".");
        var texts = RealisticTexts().Concat(GeneratedTexts(seed: 3, count: 300)).ToArray();
        var expected = texts.Select(text => reference.Encode(text).Count).ToArray();
        var counts = new int[texts.Length];

        Parallel.For(0, texts.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => counts[i] = counter.Count(texts[i]));

        Assert.Equal(expected, counts);

        // Workers (each a cache and a regex instance) are made for counts that run at once, not for every thread.
        Assert.InRange(counter.IdleWorkers, 1, 4);
    }

    [Fact]
    public void ThreadsTakingTurns_ShareOneWorker()
    {
        var counter = NewCounter("cl100k_base");
        var texts = RealisticTexts().Take(40).ToArray();

        foreach (var text in texts)
        {
            var thread = new Thread(() => counter.Count(text));
            thread.Start();
            thread.Join();
        }

        Assert.Equal(1, counter.IdleWorkers);
        Assert.True(counter.MostCached > 100, $"{counter.MostCached} pre-tokens cached");
    }

    [Fact]
    public void TwoThreadsCountingAtOnce_EachKeepTheirOwnWorker_EvenWhenTheirIdsPickOneSlot()
    {
        var counter = NewCounter("cl100k_base");
        var reference = TokenizerCatalog.Load("cl100k_base", ".");
        var texts = RealisticTexts().Take(2).ToArray();
        var expected = texts.Select(text => reference.Encode(text).Count).ToArray();
        using var inStep = new Barrier(2);
        var counted = new int[2][];

        void CountInStep(object? part)
        {
            var mine = counted[(int)part!] = new int[500];
            for (var i = 0; i < mine.Length; i++)
            {
                inStep.SignalAndWait();
                mine[i] = counter.Count(texts[(int)part]);
            }
        }

        // Of nine threads, two have ids that pick the same one of eight slots: the case where workers used to swap.
        var created = new List<Thread>();
        IGrouping<int, Thread>? sameSlot;
        do
        {
            created.Add(new Thread(CountInStep));
            sameSlot = created.GroupBy(thread => thread.ManagedThreadId % 8).FirstOrDefault(group => group.Count() > 1);
        }
        while (sameSlot is null);

        var pair = sameSlot.Take(2).ToArray();
        pair[0].Start(0);
        pair[1].Start(1);
        pair[0].Join();
        pair[1].Join();

        Assert.All(counted[0], count => Assert.Equal(expected[0], count));
        Assert.All(counted[1], count => Assert.Equal(expected[1], count));

        // Only until the two first count at the same moment (then each has a worker of its own), not on every count.
        Assert.InRange(counter.Handoffs, 0, 25);
    }

    [SkippableTheory]
    [InlineData("qwen2.5")]
    [InlineData("qwen3")]
    public void TokenizerJson_CountsEqualItsIdCount(string name)
    {
        using var temp = new TempFolder();
        var folder = TransformersReference.TokenizerFolder(name, temp);
        Skip.If(folder is null, "../shared/fixtures/tokenizers is absent");
        var tokenizer = HuggingFaceTokenizerJson.Load(Path.Combine(folder, "tokenizer.json"));

        Assert.True(tokenizer.Counter!.HasAsciiGrammar);
        foreach (var text in RealisticTexts().Concat(GeneratedTexts(seed: 4, count: 800)))
        {
            Assert.Equal(tokenizer.Encode(text).Count, tokenizer.CountTokens(text));
        }
    }

    /// <summary>
    /// A counter of <paramref name="encoding"/> that no other test uses (the catalog's tokenizers are shared by tests
    /// that run at the same time), counting pre-tokens with the library's encoder.
    /// </summary>
    private static PreTokenCounter NewCounter(string encoding)
    {
        // The chat markers the catalog adds to a named encoding, so that counts equal its tokenizer's.
        var firstMarker = encoding == "o200k_base" ? 200019 : 100264;
        var library = TiktokenTokenizer.CreateForEncoding(encoding, new Dictionary<string, int> { ["<|im_start|>"] = firstMarker, ["<|im_end|>"] = firstMarker + 1 });
        var special = library.SpecialTokens!;
        var splitter = new SplitPreTokenizer([new SplitStep(new CodePointRegex(TokenizerCatalog.SplitPattern(encoding)))], special);
        var counter = new PreTokenCounter(splitter, special, normalizer: null, piece =>
            library.CountTokens(piece, considerPreTokenization: false, considerNormalization: false));
        return counter;
    }

    /// <summary>Random strings of <see cref="Fragments"/>.</summary>
    private static IEnumerable<string> GeneratedTexts(int seed, int count)
    {
        var random = new Random(seed);
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            text.Clear();
            var fragments = random.Next(0, 24);
            for (var f = 0; f < fragments; f++)
            {
                text.Append(Fragments[random.Next(Fragments.Length)]);
            }

            yield return text.ToString();
        }
    }

    /// <summary>
    /// Every string of the sample datasets' chat files, and text of kinds the samples lack: other scripts, emoji with
    /// joiners, code, long runs of whitespace, digits and symbols, and text ending in whitespace.
    /// </summary>
    private static IEnumerable<string> RealisticTexts()
    {
        string[] written =
        [
            "Привет, мир! Как дела? Всё хорошо.",
            "日本語のテキストと中文混合、句読点。「引用」",
            "مرحبا بالعالم، كيف حالك؟ ١٢٣٤٥",
            "Ελληνικά: Καλημέρα κόσμε. Ünïcödé façade naïve café résumé.",
            "family 👨‍👩‍👧 thumbs 👍🏽 flags 🇫🇷🇩🇪 math 𝐇𝐞𝐥𝐥𝐨 𝟙𝟚𝟛 done 😀😀😀",
            "def f(x):\n    return {'a': [1, 2, 3], \"b\": x ** 2}  # comment\n\n\n\tif x >= 10_000:\n\t\tpass\r\n",
            "SELECT id, name FROM users WHERE created_at > '2024-01-01' ORDER BY id DESC LIMIT 100;",
            "        indented\n                more\n" + new string(' ', 300) + "end",
            new string('7', 250) + " and " + string.Concat(Enumerable.Repeat("1234567890", 40)),
            new string('-', 200) + "\n" + new string('=', 90) + "\r\n\r\n" + string.Concat(Enumerable.Repeat("!?", 70)),
            "trailing spaces   ",
            "trailing newline and spaces\n  ",
            "  \n\n  ",
            "it's, It'S, they'll, THEY'LL, we're, you've, I'm, he'd, don't, o'clock, rock'n'roll",
            "URLs: https://example.com/path/to/file?query=1&b=2#frag and C:\\Windows\\System32 and /usr/local/bin/",
            "<|im_start|>user\nHello there<|im_end|>\n<|im_start|>assistant\nHi!  <|im_end|>\n",
            "tabs\tbetween\t\twords\u00A0and\u3000ideographic\u2028spaces",
            "",
        ];

        return written.Concat(SampleStrings());
    }

    private static IEnumerable<string> SampleStrings()
    {
        foreach (var file in new[] { "datasets-sample/openai/support.jsonl", "datasets-sample/sharegpt/conversations.jsonl", "datasets-sample/text/notes.jsonl" })
        {
            foreach (var line in File.ReadLines(Path.Combine(RepositoryPaths.Root, file)))
            {
                foreach (var text in StringsOfLine(line))
                {
                    yield return text;
                }
            }
        }
    }

    /// <summary>Every string in a JSON line; none for the malformed lines the samples hold on purpose.</summary>
    private static List<string> StringsOfLine(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return [.. Strings(document.RootElement)];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Object => [.. element.EnumerateObject().SelectMany(property => Strings(property.Value))],
        JsonValueKind.Array => [.. element.EnumerateArray().SelectMany(Strings)],
        _ => [],
    };
}
