using Curation.ServeLoad;
using Xunit.Abstractions;

namespace Curation.Serving.Tests;

/// <summary>64 clients at once on loopback for a bounded time: every request is answered or refused with 429, none fails.</summary>
[Collection(ServedCollection.Name)]
public sealed class LoadTests(ServerFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task SixtyFourClients_AllAnswered_NoneFailed()
    {
        var report = await LoadRun.RunAsync(fixture.Server.BaseAddress, "ft-a", clients: 64, duration: TimeSpan.FromSeconds(10), maxTokens: 16);
        output.WriteLine(report.ToString());

        Assert.True(report.Failed == 0, string.Join('\n', report.Failures.Take(5)));
        Assert.True(report.Answered >= 64, report.ToString());
        Assert.True(report.CompletionTokens > 0, report.ToString());
        Assert.True(report.P95Seconds >= report.P50Seconds, report.ToString());
    }
}
