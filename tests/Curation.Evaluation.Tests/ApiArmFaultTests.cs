using Curation.Evaluation.Arms;
using Curation.Evaluation.Resilience;
using Curation.Evaluation.Tests.Faults;

namespace Curation.Evaluation.Tests;

public sealed class ApiArmFaultTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EveryKindOfFault_IsRetried_CountedByKind_AndTheRunCompletes(bool stream)
    {
        var clock = new TestClock(ArmRun.AttemptTimeout);
        Fault[] faults =
        [
            new Fault.Status(429, RetryAfter: "2"), new Fault.Status(500), new Fault.Status(503), new Fault.Stall(), new Fault.Malformed(), new Fault.Reset(),
            .. stream ? [new Fault.Cut("The answer")] : Array.Empty<Fault>(),
        ];
        await using var server = await FaultServer.StartAsync(FaultServer.Sequence(faults), clock);
        await using var arm = new ApiArm(ArmRun.Settings(server, ArmRun.Resilience(maxRetries: faults.Length), stream), clock);

        var answers = await ArmRun.RunAsync(arm, ArmRun.Calls(4), clock, server);

        Assert.Equal(4, answers.Count);
        Assert.All(answers, answered => Assert.False(answered.Answer.Failed, answered.Answer.Error));
        var first = answers.Single(answered => answered.Call.Item == 0).Answer;
        Assert.Equal(faults.Length + 1, first.Attempts);
        Assert.Equal($"answer {faults.Length}", first.Text);
        Assert.All(answers.Where(answered => answered.Call.Item > 0), answered => Assert.Equal(1, answered.Answer.Attempts));
        Assert.Equal(faults.Length + 4, server.Count);
        var expected = new SortedDictionary<string, int>(StringComparer.Ordinal)
        {
            ["http-429"] = 1, ["http-500"] = 1, ["http-503"] = 1, [ErrorKinds.Timeout] = 1, [ErrorKinds.MalformedResponse] = 1, [ErrorKinds.ConnectionReset] = 1,
        };
        if (stream)
        {
            expected[ErrorKinds.StreamCut] = 1;
        }

        Assert.Equal(expected, arm.Failures.Snapshot());
    }
}
