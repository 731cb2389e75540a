using Curation.Core.Config;
using Curation.Pipeline.Slurm;
using YamlDotNet.RepresentationModel;

namespace Curation.Pipeline.Tests.Slurm;

public sealed class SlurmResourcesTests
{
    private static (SlurmResources Resources, List<ConfigError> Errors) Bind(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var errors = new List<ConfigError>();
        var binder = new OptionsBinder("p.yaml", errors);
        var resources = (SlurmResources)binder.Bind(typeof(SlurmResources), stream.Documents[0].RootNode, "executor");
        return (resources, errors);
    }

    [Fact]
    public void Bind_ExecutorSection_ReadsEverySettingBySnakeCaseKey()
    {
        var (resources, errors) = Bind("""
            cpus_per_task: 8
            mem: 32G
            time: 2:00:00
            partition: cpu
            account: proj-7
            max_parallel: 16
            """);

        Assert.Empty(errors);
        Assert.Equal(8, resources.CpusPerTask);
        Assert.Equal("32G", resources.Mem);
        Assert.Equal("2:00:00", resources.Time);
        Assert.Equal("cpu", resources.Partition);
        Assert.Equal("proj-7", resources.Account);
        Assert.Equal(16, resources.MaxParallel);
    }

    [Fact]
    public void Bind_BadValues_OneLocatedErrorEachNamingTheKeyAndTheForm()
    {
        var (_, errors) = Bind("""
            cpus_per_task: 0
            mem: 4 GB
            time: 1:75:00
            partition: cpu gpu
            max_parallel: -1
            nodes: 3
            """);

        Assert.Equal(
            [
                "p.yaml:6:1: executor: unknown parameter 'nodes'; valid parameters: account, cpus_per_task, max_parallel, mem, partition, time",
                "p.yaml:1:16: executor: parameter 'cpus_per_task': expected an integer of at least 1, got 0",
                "p.yaml:5:15: executor: parameter 'max_parallel': expected an integer of at least 1, got -1",
            ],
            errors.Select(e => e.ToString()));

        var (_, shapeErrors) = Bind("mem: 4 GB\ntime: 1:75:00\npartition: cpu gpu\naccount: a,b\n");
        Assert.Equal(
            [
                "p.yaml:1:6: executor: parameter 'mem': expected a whole number with an optional K, M, G or T (e.g. 4G, 500M; megabytes without), got '4 GB'",
                "p.yaml:2:7: executor: parameter 'time': expected minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS (e.g. 90, 2:00:00, 1-12), got '1:75:00'",
                "p.yaml:3:12: executor: parameter 'partition': expected a partition name (several separated by commas, no spaces), got 'cpu gpu'",
                "p.yaml:4:10: executor: parameter 'account': expected one account name, got 'a,b'",
            ],
            shapeErrors.Select(e => e.ToString()));
    }

    [Theory]
    [InlineData("90")]
    [InlineData("90:30")]
    [InlineData("2:00:00")]
    [InlineData("100:59:59")]
    [InlineData("1-12")]
    [InlineData("1-12:30")]
    [InlineData("7-00:00:00")]
    public void Problems_TimesSbatchAccepts_None(string time) =>
        Assert.Empty(new SlurmResources { Time = time }.Problems());

    [Theory]
    [InlineData("1h")]
    [InlineData("1:60")]
    [InlineData("1-2:3:4:5")]
    [InlineData("-5")]
    [InlineData("")]
    public void Problems_TimesSbatchRefuses_NamesTheTimeSetting(string time) =>
        Assert.StartsWith("time: expected minutes", Assert.Single(new SlurmResources { Time = time }.Problems()), StringComparison.Ordinal);

    [Fact]
    public void Problems_FromFlags_RenameToTheFlagNames()
    {
        var problems = new SlurmResources { CpusPerTask = 0, Mem = "lots" }.Problems()
            .Select(p => OptionNames.Rename(p, SlurmResources.FlagNames.ToDictionary(f => f.Key + ":", f => f.Value + ":")))
            .ToArray();

        Assert.Equal(
            [
                "--cpus-per-task: expected an integer of at least 1, got 0",
                "--mem: expected a whole number with an optional K, M, G or T (e.g. 4G, 500M; megabytes without), got 'lots'",
            ],
            problems);
    }

    [Fact]
    public void With_FlagsOverTheFile_TakesEachSetFlagAndKeepsTheRest()
    {
        var file = new SlurmResources { CpusPerTask = 4, Mem = "8G", Partition = "cpu", Account = "proj-7" };
        var flags = new SlurmResources { Partition = "debug", MaxParallel = 2 };

        var merged = file.With(flags);

        Assert.Equal((4, "8G", (string?)null, "debug", "proj-7", 2), (merged.CpusPerTask, merged.Mem, merged.Time, merged.Partition, merged.Account, merged.MaxParallel));
    }
}
