using System.Runtime.CompilerServices;
using Curation.Evaluation.Arms;
using Curation.Evaluation.Runs;
using Curation.TestKit;

namespace Curation.Evaluation.Tests.Harness;

/// <summary>
/// The harness with scripted arms: the judge metric and the pairwise judge over every arm, repeats with stability,
/// tags, the judge's calls cached like any arm's, and gates on the judge's figures.
/// </summary>
public sealed class JudgedEvalTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string WriteEval()
    {
        File.WriteAllLines(_temp.File("golden.jsonl"), Enumerable.Range(0, 6).Select(i =>
            $$"""{"id": "q{{i}}", "messages": [{"role": "user", "content": "Question {{i}}?"}, {"role": "assistant", "content": "right {{i}}"}], "tags": ["{{(i < 3 ? "low" : "high")}}"]}"""));
        File.WriteAllText(_temp.File("rubric.md"), "An answer is good when it is right.");
        File.WriteAllText(_temp.File("eval.yaml"), """
            golden: { path: golden.jsonl }
            arms:
              - name: steady
                api: { base_url: "http://127.0.0.1:9/v1", model: steady }
              - name: flaky
                api: { base_url: "http://127.0.0.1:9/v1", model: flaky }
                repeats: 3
                parameters: { temperature: 0.7, max_tokens: 16 }
              - name: judge
                api: { base_url: "http://127.0.0.1:9/v1", model: judge }
            metrics: [exact_match, token_f1]
            judge: { arm: judge, rubric: rubric.md, pairwise: [steady, flaky] }
            gates: ["steady.judge >= flaky.judge", "flaky.stability < 1"]
            output: { dir: out }
            """);
        return _temp.File("eval.yaml");
    }

    [Fact]
    public async Task JudgeAndPairwise_ScoreEveryArm_AndTheirCallsAreCached()
    {
        var definition = EvalHarness.Load(WriteEval(), []);
        var arms = new List<ScriptedArm>();
        EvalHarness Harness() => new(definition, new EvalRunOptions(), TimeProvider.System, SilentProgress.Instance)
        {
            CreateArm = options =>
            {
                var arm = new ScriptedArm(options.Name!);
                arms.Add(arm);
                return arm;
            },
        };

        var report = (await Harness().RunAsync(CancellationToken.None)).Report!;

        var steady = report.Arms.Single(arm => arm.Name == "steady");
        var flaky = report.Arms.Single(arm => arm.Name == "flaky");
        Assert.Equal(["exact_match", "token_f1", "judge"], report.Metrics);
        Assert.Equal(1.0, steady.Metric("judge")!.Mean!.Value.Estimate, 12);
        // flaky answers wrongly on repeat 1 of the odd items: those items average (1 + 0 + 1) / 3 on the judge's 0-1 scale.
        Assert.Equal((3 * 1.0 + 3 * (2.0 / 3)) / 6, flaky.Metric("judge")!.Mean!.Value.Estimate, 12);
        Assert.Equal(18, flaky.Calls);
        Assert.Equal((3 * 1.0 + 3 * (2.0 / 3)) / 6, flaky.Stability!.Value, 12);
        Assert.Equal(["q1", "q3", "q5"], report.UnstableItems.Select(item => item.ItemId));
        Assert.All(report.UnstableItems, item => Assert.Equal(("flaky", 2, 3), (item.Arm, item.Agreeing, item.Answers)));
        var pairwise = Assert.Single(report.Pairwise);
        Assert.Equal(("steady", "flaky", 0, 6, 0), (pairwise.First, pairwise.Second, pairwise.Wins, pairwise.Ties, pairwise.Losses));
        Assert.Contains(report.Tags, tag => tag is { Tag: "high", Arm: "flaky", Metric: "judge" });
        Assert.All(report.Gates, gate => Assert.True(gate.Passed, gate.Detail));
        // The judge is an arm too, so it is built twice: as an arm it answers the 6 items; as the judge it grades the 30
        // answers (its own included), of which 9 are distinct questions (the cache answers the repeats), and compares 6
        // pairs in both orders.
        Assert.Equal(["steady", "flaky", "judge", "judge"], arms.Select(arm => arm.Name));
        Assert.Equal([6, 18, 6, 9 + 2 * 6], arms.Select(arm => arm.Asked));

        arms.Clear();
        var again = (await Harness().RunAsync(CancellationToken.None)).Report!;

        Assert.Equal([0, 0, 0, 0], arms.Select(arm => arm.Asked));
        Assert.Equal(flaky.Metric("judge")!.Mean, again.Arms.Single(arm => arm.Name == "flaky").Metric("judge")!.Mean);
    }

    /// <summary>
    /// Answers as a model would: <c>steady</c> always right; <c>flaky</c> wrong on repeat 1 of odd items; <c>judge</c>
    /// grades 5 for a right answer and 1 otherwise, prefers the right one of two, and answers questions rightly.
    /// </summary>
    private sealed class ScriptedArm(string name) : IEvalArm
    {
        private int _asked;

        public int Asked => _asked;

        public string Name => name;

        public string Identity => "scripted:" + name;

        public async IAsyncEnumerable<AnsweredCall> AnswerAsync(IReadOnlyList<ArmCall> calls, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            foreach (var call in calls)
            {
                await Task.Yield();
                Interlocked.Increment(ref _asked);
                yield return new AnsweredCall(call, new ArmAnswer(Reply(call), 10, 3, TimeSpan.FromMilliseconds(20), 1, null, name));
            }
        }

        private string Reply(ArmCall call)
        {
            var prompt = call.Messages[^1].Content;
            if (name == "judge" && prompt.Contains("# Rubric", StringComparison.Ordinal))
            {
                if (prompt.Contains("# Answer A", StringComparison.Ordinal))
                {
                    var a = Between(prompt, "# Answer A\n\n", "\n\n# Answer B");
                    var b = Between(prompt, "# Answer B\n\n", "\n\nCompare");
                    return a.StartsWith("right", StringComparison.Ordinal) == b.StartsWith("right", StringComparison.Ordinal) ? "Winner: tie"
                        : a.StartsWith("right", StringComparison.Ordinal) ? "Winner: A" : "Winner: B";
                }

                return Between(prompt, "# Answer to grade\n\n", "\n\nGrade").StartsWith("right", StringComparison.Ordinal) ? "Fine.\nScore: 5" : "No.\nScore: 1";
            }

            var item = int.Parse(prompt["Question ".Length..^1], System.Globalization.CultureInfo.InvariantCulture);
            return name == "flaky" && item % 2 == 1 && call.Repeat == 1 ? $"wrong {item}" : $"right {item}";
        }

        private static string Between(string text, string start, string end)
        {
            var from = text.IndexOf(start, StringComparison.Ordinal) + start.Length;
            return text[from..text.IndexOf(end, from, StringComparison.Ordinal)];
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
