using Curation.Cli.Console;
using Curation.Core.Runtime;

namespace Curation.Cli.Tests.Console;

public class ProgressTextTests
{
    [Fact]
    public void Line_ShowsCountsRateAndShare()
    {
        var line = ProgressText.Line(new RunProgress(1_000, 900, 100, 500_000, 1_000_000, TimeSpan.FromSeconds(2)));

        Assert.Equal("[00:00:02] read 1,000 (50% of input), wrote 900, rejected 100; 500 records/s, 0.2 MB/s", line);
    }

    [Fact]
    public void Line_EndsWithWhatAStageIsDoing_WhenOneSays()
    {
        var line = ProgressText.Line(new RunProgress(10, 0, 0, 100, 100, TimeSpan.FromSeconds(1), "near-dedup: clustering 10 records, band 3 of 14: 40 candidate pairs, 12 compared"));

        Assert.EndsWith("; near-dedup: clustering 10 records, band 3 of 14: 40 candidate pairs, 12 compared", line, StringComparison.Ordinal);
    }
}
