using Curation.Serving.Scheduling;
using Curation.Tokenization.Tokenizers;

namespace Curation.Serving.Tests;

/// <summary>Streamed pieces never take anything back: no half characters, no stop string, nothing beyond it.</summary>
public sealed class StreamingTextTests
{
    private static readonly TextTokenizer Cl100k = TokenizerCatalog.Load("cl100k_base", Environment.CurrentDirectory);

    private static (List<string> Pieces, string Final) Stream(string reply, IReadOnlyList<string> stop)
    {
        var ids = Cl100k.Encode(reply);
        var streaming = new StreamingText(stop);
        var pieces = new List<string>();
        var produced = new List<int>();
        foreach (var id in ids)
        {
            produced.Add(id);
            if (streaming.Next(Cl100k.Decode(produced)) is { } piece)
            {
                pieces.Add(piece);
            }
        }

        var text = Cl100k.Decode(ids);
        var end = StopStrings.First(text, stop);
        var final = end >= 0 ? text[..end] : text;
        pieces.Add(streaming.Rest(final));
        return (pieces, final);
    }

    [Theory]
    [InlineData("Plain ASCII words and numbers 12345.")]
    [InlineData("Émigré naïve café — 東京タワー 🎉🎉 done")]
    [InlineData("Family: 👨‍👩‍👧‍👦 and flags 🇯🇵🇫🇷")]
    public void Pieces_JoinToTheReply_WithoutHalfCharacters(string reply)
    {
        var (pieces, final) = Stream(reply, []);

        Assert.Equal(reply, final);
        Assert.Equal(reply, string.Concat(pieces));
        Assert.DoesNotContain(pieces, piece => piece.Contains('\uFFFD', StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("The answer is 42.\nUser: and then", "\nUser:", "The answer is 42.")]
    [InlineData("alpha END. beta", "END", "alpha ")]
    [InlineData("no stop here, only EN", "END", "no stop here, only EN")]
    public void StopString_IsNeverSent_NorAnythingAfterIt(string reply, string stop, string expected)
    {
        var (pieces, final) = Stream(reply, [stop]);

        Assert.Equal(expected, final);
        Assert.Equal(expected, string.Concat(pieces));
    }

    [Theory]
    [InlineData("abcEN", "END", 2)]
    [InlineData("abcE", "END", 1)]
    [InlineData("abc", "END", 0)]
    [InlineData("xEND", "END", 0)]
    public void PartialTail_IsTheLongestStartOfAStop(string text, string stop, int expected) =>
        Assert.Equal(expected, StopStrings.PartialTail(text, [stop]));
}
