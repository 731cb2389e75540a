using Curation.Filters.Quality.Text;

namespace Curation.Filters.Tests.Quality;

public class WhitespaceTests
{
    [Fact]
    public void Is_AgreesWithCharIsWhiteSpace_ForEveryChar()
    {
        for (var c = 0; c <= char.MaxValue; c++)
        {
            Assert.True(char.IsWhiteSpace((char)c) == Whitespace.Is((char)c), $"U+{c:X4}");
        }
    }
}
