using Curation.Core.Units;

namespace Curation.Core.Tests.Units;

public class ByteSizeTests
{
    [Theory]
    [InlineData("1048576", 1_048_576)]
    [InlineData("2GB", 2_000_000_000)]
    [InlineData("2 gb", 2_000_000_000)]
    [InlineData("1.5G", 1_500_000_000)]
    [InlineData("64MiB", 67_108_864)]
    [InlineData("1KiB", 1024)]
    [InlineData("10KB", 10_000)]
    [InlineData("1TiB", 1_099_511_627_776)]
    public void Parses_DecimalAndBinaryUnits(string text, long expected)
    {
        Assert.True(ByteSize.TryParse(text, out var bytes));
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("lots")]
    [InlineData("0")]
    [InlineData("-1GB")]
    [InlineData("GB")]
    [InlineData("1e3")]
    [InlineData("99999999999TB")]
    public void Rejects_WhatIsNotAPositiveSize(string? text)
    {
        Assert.False(ByteSize.TryParse(text, out _));
    }
}
