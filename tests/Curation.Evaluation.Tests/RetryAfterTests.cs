using Curation.Evaluation.Resilience;

namespace Curation.Evaluation.Tests;

public sealed class RetryAfterTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);

    [Theory]
    [InlineData("7", null, 7_000)]
    [InlineData(" 0 ", null, 0)]
    [InlineData("Wed, 04 Mar 2026 05:06:37 GMT", null, 30_000)]
    [InlineData("Wed, 04 Mar 2026 05:06:00 GMT", null, 0)]
    [InlineData(null, "1500", 1_500)]
    [InlineData("9", "250", 250)]
    public void ReadsSecondsDatesAndMilliseconds(string? retryAfter, string? retryAfterMs, double expectedMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), RetryAfter.Parse(retryAfter, retryAfterMs, Now));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("-3")]
    [InlineData("soon")]
    [InlineData("1.5")]
    [InlineData("99999999999999999999")]
    public void NoAdviceOrNonsense_IsNull(string? retryAfter) => Assert.Null(RetryAfter.Parse(retryAfter, null, Now));
}
