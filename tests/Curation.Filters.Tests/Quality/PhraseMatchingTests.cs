using Curation.Filters.Quality;
using Curation.TestKit;

namespace Curation.Filters.Tests.Quality;

/// <summary>
/// The phrase searches match as the per-phrase <c>Contains</c> calls they replace, including the characters that
/// case-insensitive ordinal comparison treats specially (dotless i, long s, Kelvin sign, dotted capital I).
/// </summary>
public class PhraseMatchingTests
{
    private static readonly string[] C4Phrases = ["javascript", "terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies", "use cookies"];

    public static TheoryData<string> Lines() =>
    [
        "This site uses cookies to work well.",
        "This site uses cooKies to work well.",
        "This site uses coo\u212Aies to work well.",
        "Read the prıvacy polıcy first please.",
        "Read the PRİVACY POLİCY first please.",
        "Accept the Terms of Uſe before going on.",
        "Enable JAVASCRIPT to see the page now.",
        "Enable javaſcript to see the page now.",
        "We use of cookies nothing at all here.",
        "A perfectly ordinary line of prose here.",
    ];

    [Theory]
    [MemberData(nameof(Lines))]
    public void C4_DropsALineExactlyWhenAPhraseContainsMatches(string line)
    {
        var stage = new C4QualityStage(new C4QualityOptions { MinSentences = 1 }, "q");
        var holdsPhrase = C4Phrases.Any(phrase => line.Contains(phrase, StringComparison.OrdinalIgnoreCase));

        var result = stage.Apply(Chat.Record("prompt", line));

        Assert.Equal(holdsPhrase ? "c4-too-few-sentences" : null, result.Rule);
    }

    [Theory]
    [MemberData(nameof(Lines))]
    public void Instruction_NamesTheFirstListedPhraseItsTextHolds(string line)
    {
        string[] phrases = ["cookies", "policy", "ſ", "ı", "\u212A", "i̇", "line"];
        var stage = new InstructionQualityStage(new InstructionQualityOptions { Phrases = [.. phrases] }, "q");
        var lowered = line.ToLowerInvariant();
        var expected = phrases.Select(phrase => phrase.ToLowerInvariant()).FirstOrDefault(phrase => lowered.Contains(phrase, StringComparison.Ordinal));

        var result = stage.Apply(Chat.Record("prompt", line));

        Assert.Equal(expected is null ? null : $"turn 2 says \"{expected}\"", result.Detail);
    }

    [Fact]
    public void Instruction_AnEmptyPhraseMatchesEveryTurn()
    {
        var stage = new InstructionQualityStage(new InstructionQualityOptions { Phrases = ["absent", ""] }, "q");

        Assert.Equal("turn 2 says \"\"", stage.Apply(Chat.Record("prompt", "any answer")).Detail);
    }
}
