using System.Runtime.CompilerServices;
using Curation.Evaluation.Arms;

namespace Curation.Evaluation.Tests.Metrics;

/// <summary>An arm that answers by a function, handing answers back in reverse order as a concurrent arm might.</summary>
internal sealed class FakeArm(Func<ArmCall, string?> reply) : IEvalArm
{
    public List<ArmCall> Calls { get; } = [];

    public string Name => "judge";

    public string Identity => "fake";

    public async IAsyncEnumerable<AnsweredCall> AnswerAsync(IReadOnlyList<ArmCall> calls, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Calls.AddRange(calls);
        foreach (var call in calls.Reverse())
        {
            await Task.Yield();
            var text = reply(call);
            yield return new AnsweredCall(call, new ArmAnswer(text, 10, 5, TimeSpan.Zero, 1, text is null ? "http-500" : null, "judge-model"));
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
