using Curation.Training.Data;

namespace Curation.Training.Tests.Training;

public sealed class DataTests
{
    [Fact]
    public void Packing_ConcatenatesUpToTheLimit_AndNeverTargetsAnExamplesFirstToken()
    {
        var a = new TrainingExample([1, 2, 3], [false, true, true]);
        var b = new TrainingExample([4, 5], [true, true]);
        var c = new TrainingExample([6, 7, 8, 9], [false, false, true, true]);

        var packed = SequencePacker.Pack([a, b, c], maxLength: 6);

        Assert.Equal(2, packed.Count);
        Assert.Equal([1, 2, 3, 4, 5], packed[0].Ids);
        Assert.Equal([false, true, true, false, true], packed[0].Supervised);
        Assert.Equal([6, 7, 8, 9], packed[1].Ids);
    }

    [Fact]
    public void Schedule_WarmsUpLinearly_ThenFollowsACosineToTheFloor()
    {
        var schedule = new LearningRateSchedule(1e-3, WarmupSteps: 10, TotalSteps: 110, MinimumRatio: 0.1);

        Assert.Equal(1e-4, schedule.At(1), 12);
        Assert.Equal(1e-3, schedule.At(10), 12);
        Assert.Equal(1e-3 * (0.1 + (0.9 * 0.5)), schedule.At(60), 12);
        Assert.Equal(1e-4, schedule.At(110), 12);
    }

    [Fact]
    public void ValidationSplit_DependsOnlyOnIdAndSeed()
    {
        var ids = Enumerable.Range(0, 1000).Select(i => $"r{i}").ToList();
        var chosen = ids.Where(id => TrainingData.IsValidation(id, 3, 0.1)).ToList();

        Assert.InRange(chosen.Count, 70, 130);
        Assert.Equal(chosen, ids.AsEnumerable().Reverse().Where(id => TrainingData.IsValidation(id, 3, 0.1)).Reverse());
        Assert.NotEqual(chosen, ids.Where(id => TrainingData.IsValidation(id, 4, 0.1)).ToList());
    }
}
