using System.Buffers;
using Curation.Core.Unicode;

namespace Curation.Core.Tests.Unicode;

public sealed class CharRangesTests
{
    public static TheoryData<string, char, char> Ranges => new()
    {
        { nameof(CharRanges.Surrogates), '\uD800', '\uDFFF' },
        { nameof(CharRanges.FromNoBreakSpace), '\u00A0', '\uFFFF' },
        { nameof(CharRanges.FromLatin1Letters), '\u00C0', '\uFFFF' },
        { nameof(CharRanges.FromCombiningMarks), '\u0300', '\uFFFF' },
    };

    [Theory]
    [MemberData(nameof(Ranges))]
    public void Search_FindsWhatTheRangeSearchFinds(string name, char first, char last)
    {
        var values = (SearchValues<char>)typeof(CharRanges).GetField(name)!.GetValue(null)!;
        var random = new Random(7);
        char[] edges = [(char)(first - 1), first, (char)(first + 1), (char)(last - 1), last, (char)Math.Min(last + 1, 0xFFFF), 'a', '\0', '\uFFFF'];
        for (var i = 0; i < 3000; i++)
        {
            var text = new char[random.Next(0, 80)];
            for (var j = 0; j < text.Length; j++)
            {
                text[j] = random.Next(3) == 0 ? edges[random.Next(edges.Length)] : (char)random.Next(0, 0x10000);
            }

            var span = new ReadOnlySpan<char>(text);
            Assert.Equal(span.IndexOfAnyInRange(first, last), span.IndexOfAny(values));
            Assert.Equal(span.IndexOfAnyExceptInRange(first, last), span.IndexOfAnyExcept(values));
        }
    }
}
