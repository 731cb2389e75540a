using Curation.Core.Records;

namespace Curation.Core.Tests.Records;

public sealed class SourceRefTests
{
    [Theory]
    [InlineData("in.jsonl", 3, SourceUnit.Line, "in.jsonl:3")]
    [InlineData("/data/t.parquet", 12345678901, SourceUnit.Row, "/data/t.parquet:row 12345678901")]
    [InlineData("a b/é.json", 1, SourceUnit.Element, "a b/é.json:element 1")]
    public void FormattedInPlace_IsWhatToStringGives(string file, long position, SourceUnit unit, string expected)
    {
        var source = new SourceRef(file, position, unit);
        Span<char> buffer = stackalloc char[64];

        Assert.True(source.TryFormat(buffer, out var written, default, null));
        Assert.Equal(expected, buffer[..written].ToString());
        Assert.Equal(expected, source.ToString());
        Assert.Equal(expected, $"{source}");
        Assert.False(source.TryFormat(buffer[..(expected.Length - 1)], out _, default, null));
    }
}
