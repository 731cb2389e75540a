using Curation.Core.Files;
using Curation.Evaluation.Arms;
using Curation.Evaluation.Config;
using Curation.Evaluation.Gates;
using Curation.Evaluation.Golden;
using Curation.Evaluation.Leakage;
using Curation.Evaluation.Metrics;
using Curation.Evaluation.Reports;
using Curation.Evaluation.Scoring;
using Curation.Evaluation.Store;

namespace Curation.Evaluation.Runs;

/// <summary>
/// One eval from file to report: reads the golden set, asks the arms (<see cref="EvalRunner"/>), scores every answer,
/// judges when asked, checks the golden set against the training data, writes report.md, report.html and
/// results.jsonl under their final names only when the whole run succeeded, and evaluates the gates.
/// </summary>
internal sealed class EvalHarness(EvalDefinition definition, EvalRunOptions options, TimeProvider time, IEvalProgress progress)
{
    public const string JudgeMetricName = "judge";

    private static readonly string[] ReportFiles = ["results.jsonl", "report.md", "report.html"];

    /// <summary>Builds an arm from its options; tests replace it to reach a fault server.</summary>
    public Func<ArmOptions, IEvalArm>? CreateArm { get; init; }

    /// <summary>Reads and checks an eval file, with gates from the command line checked as the file's are.</summary>
    public static EvalDefinition Load(string file, IReadOnlyList<string> extraGates)
    {
        var definition = EvalConfigLoader.Load(
            file,
            (gate, arms) => Gate.Check(gate, arms),
            metric => metric == JudgeMetricName
                ? $"'{JudgeMetricName}' is added by the judge section; leave it out of metrics"
                : MetricCatalog.Names.Contains(metric) ? null : $"unknown metric '{metric}'; known metrics: {string.Join(", ", MetricCatalog.Names)}");
        CheckOutputs(definition);
        var arms = definition.Arms.Select(arm => arm.Name!).ToArray();
        foreach (var gate in extraGates)
        {
            if (Gate.Check(gate, arms) is { } problem)
            {
                throw new Core.CurationException($"--gate '{gate}': {problem}");
            }
        }

        return definition;
    }

    /// <summary>The files a run writes, in the order they are written.</summary>
    public static IReadOnlyList<string> OutputsOf(EvalDefinition definition) =>
        [definition.StorePath, .. ReportFiles.Select(name => Path.Combine(definition.OutputDirectory, name))];

    // A run must never write over what it reads: the golden set (or a folder of it), prompts, the rubric, the index.
    private static void CheckOutputs(EvalDefinition definition)
    {
        var options = definition.Options;
        var reads = new List<string> { options.Golden!.Path! };
        reads.AddRange(new[] { options.Prompt.System, options.Prompt.User, options.Judge?.Rubric, options.Leakage?.Index }.OfType<string>());
        reads.AddRange(definition.Arms.SelectMany(arm => new[] { arm.Prompt?.System, arm.Prompt?.User, arm.Local?.Model, arm.Local?.Adapter }).OfType<string>());
        foreach (var output in OutputsOf(definition))
        {
            foreach (var read in reads)
            {
                var inside = output.StartsWith(read.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
                if (string.Equals(output, read, StringComparison.Ordinal) || inside)
                {
                    throw new Core.CurationException($"{definition.File}: the run would write {output}, {(inside ? "inside" : "over")} {read}, which it reads; choose another output.dir or store");
                }
            }
        }
    }

    public async Task<EvalOutcome> RunAsync(CancellationToken cancellationToken)
    {
        var items = await GoldenSetReader.ReadAsync(definition.Options.Golden!.Path!, definition.Options.Golden.Limit, cancellationToken);
        var metrics = definition.Options.Metrics.Select(name => MetricCatalog.Create(name)).ToArray();
        var rubric = definition.Options.Judge is { } judgeOptions ? Rubric.Load(judgeOptions.Rubric!) : null;
        var gates = definition.Options.Gates.Concat(options.ExtraGates ?? []).Select(gate => Gate.Parse(gate, definition.Arms.Select(arm => arm.Name!).ToArray())).ToArray();
        var leaks = definition.Options.Leakage is { } leakage ? LeaksOf(leakage, items) : [];
        Directory.CreateDirectory(Path.GetDirectoryName(definition.StorePath)!);
        using var store = EvalStore.Open(definition.StorePath, time);
        var createArm = CreateArm ?? (arm => ArmFactory.Create(arm, time));
        using var runner = new EvalRunner(definition, store, time, progress, options) { CreateArm = createArm };
        var run = await runner.RunAsync(items, cancellationToken);
        if (run.Interrupted)
        {
            return EvalOutcome.InterruptedAfter(run, definition.StorePath);
        }

        var scores = ScoreCalls(run, items, metrics);
        var scoring = new ScoringOptions(definition.Options.Resamples, definition.Options.Seed)
        {
            ArmOrder = definition.Arms.Select(arm => arm.Name!).ToArray(),
            MetricOrder = scores.MetricNames,
        };
        if (definition.Options.Judge is { } judge)
        {
            progress.Note($"judging with arm '{judge.Arm}' and rubric {Path.GetFileName(judge.Rubric)}");
            try
            {
                await using var judgeArm = new CachingArm(createArm(definition.Arm(judge.Arm!)), store.Cache, "judge", options.UseCache && !options.Refresh, options.UseCache);
                await new JudgeScoring(judgeArm, rubric!, judge.Pairwise, scoring).AddAsync(run, items, scores, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                store.Runs.FinishRun(run.RunId, RunStatus.Interrupted);
                return EvalOutcome.InterruptedAfter(run, definition.StorePath);
            }
        }

        var board = Scoreboard.Build(
            scores.Rows,
            run.Calls.Select(call => new AnswerRow(call.Arm, call.ItemId, call.Repeat, call.Answer.Text)),
            items.ToDictionary(item => item.Id, item => item.Tags, StringComparer.Ordinal),
            scoring);
        var report = ReportBuilder.Build(definition, run, items, board, scores, leaks, gates);
        var written = WriteOutputs(report, run, scores);
        store.Runs.FinishRun(run.RunId, RunStatus.Completed, RunSummaryJson.Of(report));
        return new EvalOutcome(run.RunId, report, run.Calls.Count(call => !call.CacheHit), false, definition.StorePath, written);
    }

    private static LeakRow[] LeaksOf(LeakageOptions leakage, IReadOnlyList<GoldenItem> items) =>
        LeakageCheck.Run(leakage.Index!, items, leakage.Threshold).Select(leak => new LeakRow(leak.GoldenId, leak.TrainingId, leak.Jaccard)).ToArray();

    private static CallScores ScoreCalls(AnsweredRun run, IReadOnlyList<GoldenItem> items, IReadOnlyList<IMetric> metrics)
    {
        var scores = new CallScores(metrics.Select(metric => metric.Name).ToList());
        foreach (var call in run.Calls)
        {
            foreach (var metric in metrics)
            {
                scores.Add(call, metric.Name, metric.ScoreOf(items[call.Item], call.Answer), call.Answer.Failed);
            }
        }

        return scores;
    }

    private IReadOnlyList<string> WriteOutputs(EvalReport report, AnsweredRun run, CallScores scores)
    {
        var folder = definition.OutputDirectory;
        Directory.CreateDirectory(folder);
        var results = Path.Combine(folder, "results.jsonl");
        var markdown = Path.Combine(folder, "report.md");
        var html = Path.Combine(folder, "report.html");
        AtomicFile.Write(results, stream => ResultsFile.Write(stream, run, scores.Of));
        AtomicFile.WriteAllText(markdown, MarkdownReport.Render(report));
        AtomicFile.WriteAllText(html, HtmlReport.Render(report));
        return [markdown, html, results];
    }
}

/// <summary>What <c>curate eval run</c> reports back; <see cref="Report"/> is null when the run was interrupted.</summary>
/// <param name="CallsMade">Calls answered by the arms in this run (not the cache).</param>
internal sealed record EvalOutcome(string RunId, EvalReport? Report, int CallsMade, bool Interrupted, string StorePath, IReadOnlyList<string> Written)
{
    public static EvalOutcome InterruptedAfter(AnsweredRun run, string storePath) =>
        new(run.RunId, null, run.Calls.Count(call => !call.CacheHit), true, storePath, []);
}
