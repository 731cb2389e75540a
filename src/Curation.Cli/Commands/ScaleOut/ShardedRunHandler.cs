using Curation.Cli.Commands.Run;
using Curation.Core;
using Curation.Core.Files;
using Curation.Core.Runtime;
using Curation.Pipeline;
using Curation.Pipeline.ScaleOut;
using Curation.Pipeline.Slurm;

namespace Curation.Cli.Commands.ScaleOut;

/// <summary>
/// <c>curate run P.yaml --tasks N</c>: plans the shards (or checks an earlier plan in the work folder), runs each step's
/// tasks without a completion marker (and the gather steps of stages that need every record,
/// <see cref="ShardSteps"/>) as local worker processes, then merges the last step's parts into the output folder
/// through <see cref="PipelineExecution"/>, so that outputs are committed and the manifest written as by a plain run;
/// with <c>--executor slurm</c>, submits the same tasks and the merge as Slurm jobs instead (<see cref="SlurmExecutor"/>).
/// </summary>
internal sealed class ShardedRunHandler(RunHandler run, TextWriter output, TextWriter error)
{
    public async Task<int> RunAsync(PreparedPipeline prepared, RunRequest request, CancellationToken cancellationToken)
    {
        var time = TimeProvider.System;
        var startedAt = time.GetUtcNow();
        var started = time.GetTimestamp();
        var tasks = request.Tasks!.Value;
        var work = new WorkDirectory(request.WorkDirectory ?? WorkDirectory.DefaultFor(prepared.OutputDirectory));
        var slurm = request.Executor == ScaleOutOptions.SlurmExecutor;
        if (!slurm && (request.Wait || request.Resources is not null))
        {
            await error.WriteLineAsync("curate: --wait and the Slurm settings (--cpus-per-task, --mem, --time, --partition, --account, --max-parallel) go with --executor slurm");
            return ExitCodes.UsageOrConfig;
        }

        var resources = request.Resources is { } flags ? prepared.Executor.With(flags) : prepared.Executor;
        if (slurm && request.Resources?.Problems() is { Count: > 0 } flagProblems)
        {
            foreach (var problem in flagProblems)
            {
                var key = problem[..problem.IndexOf(':', StringComparison.Ordinal)];
                await error.WriteLineAsync($"curate: {SlurmResources.FlagNames.GetValueOrDefault(key, key)}{problem[key.Length..]}");
            }

            return ExitCodes.UsageOrConfig;
        }

        ShardPlan plan;
        try
        {
            ScaleOutChecks.Check(prepared);
            plan = LoadOrPlan(prepared, request, tasks, work);
        }
        catch (CurationException ex)
        {
            await error.WriteLineAsync($"curate: {ex.Message}");
            return ExitCodes.UsageOrConfig;
        }

        var steps = ShardSteps.Of(prepared);
        var pending = PendingSteps.Of(work, plan, steps);
        if (slurm)
        {
            return await SubmitAsync(prepared, request, plan, work, steps, pending, resources, cancellationToken);
        }

        if (await RefuseWhileSlurmRunsAsync(work, cancellationToken) is { } refused)
        {
            return refused;
        }

        var final = pending.FirstOrDefault(step => step.Step.IsFinal)?.Tasks.Count ?? 0;
        var parallel = Math.Min(Math.Max(1, plan.Tasks), Environment.ProcessorCount);
        var workers = request.Workers ?? prepared.Definition.Workers ?? Math.Max(WorkerCount.Minimum, Environment.ProcessorCount / parallel);
        var stepsNote = steps.Count > 1 ? $" in {steps.Count} steps" : string.Empty;
        await error.WriteLineAsync(
            $"curate: running {prepared.Definition.File} as {plan.Tasks} tasks{stepsNote} ({plan.Tasks - final} already done; {parallel} at once, {workers} workers each) in {DisplayPath.For(work.Path)} -> {prepared.OutputDirectory}");
        var executor = new LocalExecutor(work, plan.Tasks, parallel, workers);
        Task<int?> RunFirstStepAsync(IReadOnlyList<int> tasks, CancellationToken token) => RunTasksAsync(executor, steps[0], plan, tasks, token);
        var settled = false;
        foreach (var step in pending)
        {
            // Reused ids are settled after the first step, before anything goes on from its parts.
            if (step.Step.Index > 0 && !settled)
            {
                if (await SettleIdsAsync(work, plan, steps[0], RunFirstStepAsync, cancellationToken) is { } unsettled)
                {
                    return unsettled;
                }

                settled = true;
            }

            if (steps.Count > 1)
            {
                await error.WriteLineAsync(step.Step.IsSingle
                    ? $"curate: step {step.Step.Index}: {step.Step.Describe()}, over all shards"
                    : $"curate: step {step.Step.Index}: {step.Step.Describe()}, {step.Tasks.Count} tasks");
            }

            if (await RunTasksAsync(executor, step.Step, plan, step.Tasks, cancellationToken) is { } stopped)
            {
                return stopped;
            }
        }

        if (!settled && await SettleIdsAsync(work, plan, steps[0], RunFirstStepAsync, cancellationToken) is { } unsettledLast)
        {
            return unsettledLast;
        }

        return await MergeAsync(prepared, plan, work, request, workers, startedAt, started, cancellationToken);
    }

    /// <summary>
    /// Local tasks of a run that was submitted to Slurm before: refused while its jobs are queued or running. Where
    /// Slurm's commands are not installed here, no job of this machine's runs can be running.
    /// </summary>
    private async Task<int?> RefuseWhileSlurmRunsAsync(WorkDirectory work, CancellationToken cancellationToken)
    {
        try
        {
            var record = SlurmJobsRecord.Load(work);
            await SlurmExecutor.RefuseWhileQueuedAsync(new SlurmClient(ProcessCommandRunner.Instance, TimeProvider.System), work, record, cancellationToken);
            return null;
        }
        catch (CurationException ex) when (ex.InnerException is CommandNotFoundException)
        {
            return null;
        }
        catch (CurationException ex)
        {
            await error.WriteLineAsync($"curate: {ex.Message}");
            return ExitCodes.RunFailed;
        }
    }

    private async Task<int> SubmitAsync(
        PreparedPipeline prepared, RunRequest request, ShardPlan plan, WorkDirectory work, IReadOnlyList<ShardStep> steps, IReadOnlyList<PendingStep> pending, SlurmResources resources, CancellationToken cancellationToken)
    {
        // Each task runs on the CPUs Slurm gives it: as many workers, unless the command line or the pipeline says otherwise.
        var workers = request.Workers ?? prepared.Definition.Workers ?? resources.CpusPerTask;
        await error.WriteLineAsync(
            $"curate: submitting {prepared.Definition.File} as {plan.Tasks} Slurm tasks{(steps.Count > 1 ? $" in {steps.Count} steps" : string.Empty)} ({plan.Tasks - (pending.FirstOrDefault(step => step.Step.IsFinal)?.Tasks.Count ?? 0)} already done) in {DisplayPath.For(work.Path)} -> {prepared.OutputDirectory}");
        var executor = new SlurmExecutor(new SlurmClient(ProcessCommandRunner.Instance, TimeProvider.System), work, output, error, SlurmExecutor.DefaultPollInterval);
        try
        {
            return await executor.RunAsync(prepared.Definition.Name, plan, steps, pending, resources, workers, request.Wait, cancellationToken);
        }
        catch (CurationException ex)
        {
            await error.WriteLineAsync($"curate: {ex.Message}");
            return ExitCodes.RunFailed;
        }
    }

    /// <summary>
    /// <c>curate shard-merge WORKDIR</c>: the final step on its own, once every task is done (a cluster's last job);
    /// tasks that reused earlier shards' ids are run again here, in this process.
    /// </summary>
    public async Task<int> MergeAsync(string workDirectory, int? workers, CancellationToken cancellationToken)
    {
        var time = TimeProvider.System;
        var startedAt = time.GetUtcNow();
        var started = time.GetTimestamp();
        var work = new WorkDirectory(workDirectory);
        ShardPlan plan;
        PreparedPipeline prepared;
        try
        {
            Directory.SetCurrentDirectory(ShardPlan.Load(work.PlanFile).WorkingDirectory);
            (plan, prepared) = ShardTask.Load(work, 0, StageCatalog.Create(), RunHandler.ToolVersion);
        }
        catch (CurationException ex)
        {
            await error.WriteLineAsync($"curate: {ex.Message}");
            return ExitCodes.UsageOrConfig;
        }

        var steps = ShardSteps.Of(prepared);
        var pending = PendingSteps.Of(work, plan, steps);
        if (pending.Count > 0)
        {
            var left = pending[0];
            await error.WriteLineAsync(left.Step.IsSingle
                ? $"curate: step {left.Step.Index} ({left.Step.Describe()}) of {DisplayPath.For(work.Path)} has not completed: nothing to merge yet"
                : $"curate: tasks {string.Join(", ", left.Tasks)}{(steps.Count > 1 ? $" of step {left.Step.Index}" : string.Empty)} of {DisplayPath.For(work.Path)} have not completed: nothing to merge yet");
            return ExitCodes.RunFailed;
        }

        var perTask = WorkerCount.Resolve(workers, prepared.Definition.Workers);
        var request = new RunRequest(plan.PipelineFile, plan.OutputOverride, perTask, plan.SeedOverride, plan.FailFast, Verbose: false, plan.Tasks, work.Path);

        // With one step, the merge is the first job after the tasks that read the input: it settles reused ids.
        if (steps.Count == 1 && await InProcessSteps.SettleIdsAsync(work, plan, steps.Count, perTask, error, cancellationToken) is { } unsettled)
        {
            return unsettled;
        }

        return await MergeAsync(prepared, plan, work, request, perTask, startedAt, started, cancellationToken);
    }

    /// <summary>
    /// Ids reused across shards, after the first step: a shard that reused an id an earlier shard used first is run
    /// again with those ids, as one process sees them. Null when settled, else the exit code.
    /// </summary>
    public static async Task<int?> SettleIdsAsync(
        WorkDirectory work, ShardPlan plan, ShardStep firstStep, Func<IReadOnlyList<int>, CancellationToken, Task<int?>> runTasks, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runTasks);
        ArgumentNullException.ThrowIfNull(error);
        var reruns = IdConflicts.SeedReruns(work, plan, firstStep);
        if (reruns.Count == 0)
        {
            return null;
        }

        await error.WriteLineAsync($"curate: {reruns.Count} tasks reuse ids of earlier shards; running them again to reject those as one process does");
        if (await runTasks(reruns, cancellationToken) is { } stopped)
        {
            return stopped;
        }

        if (IdConflicts.SeedReruns(work, plan, firstStep) is { Count: > 0 } left)
        {
            await error.WriteLineAsync($"curate: run failed: tasks {string.Join(", ", left)} still reuse earlier shards' ids after a rerun");
            return ExitCodes.RunFailed;
        }

        return null;
    }

    private Task<int?> SettleIdsAsync(
        WorkDirectory work, ShardPlan plan, ShardStep firstStep, Func<IReadOnlyList<int>, CancellationToken, Task<int?>> runTasks, CancellationToken cancellationToken) =>
        SettleIdsAsync(work, plan, firstStep, runTasks, error, cancellationToken);

    /// <summary>Merges the last step's parts into the outputs and reports as a plain run.</summary>
    private async Task<int> MergeAsync(
        PreparedPipeline prepared,
        ShardPlan plan,
        WorkDirectory work,
        RunRequest request,
        int workers,
        DateTimeOffset startedAt,
        long started,
        CancellationToken cancellationToken)
    {
        var time = TimeProvider.System;
        var options = new RunOptions { Seed = prepared.Definition.Seed, Workers = workers, FailFast = request.FailFast };
        PipelineExecution execution;
        try
        {
            execution = new PipelineExecution(prepared, options, RunHandler.ToolVersion, time);
        }
        catch (CurationException ex)
        {
            await error.WriteLineAsync($"curate: {ex.Message}");
            return ExitCodes.RunFailed;
        }

        using (execution)
        {
            var elapsed = time.GetElapsedTime(started);
            var result = await execution.RunAsync(outputs => ShardMerge.MergeAsync(work, plan, prepared, outputs, startedAt, elapsed, time, cancellationToken));
            return await run.FinishAsync(execution, result, request, cancellationToken);
        }
    }

    /// <summary>Runs tasks of a step; the exit code when they did not all complete, null when they did.</summary>
    private async Task<int?> RunTasksAsync(LocalExecutor executor, ShardStep step, ShardPlan plan, IReadOnlyList<int> tasks, CancellationToken cancellationToken)
    {
        IReadOnlyList<(int Task, int ExitCode)> failed;
        try
        {
            failed = await executor.RunAsync(step, tasks, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            failed = [];
        }

        if (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("curate: interrupted; completed tasks are kept: run the same command again to finish the others");
            return ExitCodes.Interrupted;
        }

        if (failed.Count == 0)
        {
            return null;
        }

        foreach (var (task, exitCode) in failed)
        {
            var files = executor.FilesOf(step, task);
            var why = File.Exists(files.Failed) ? File.ReadAllText(files.Failed).Trim() : $"exit status {exitCode}";
            var what = step.IsSingle ? $"step {step.Index} ({step.Describe()})" : step.IsFinal && step.Index == 0 ? $"task {task}" : $"task {task} of step {step.Index}";
            await error.WriteLineAsync($"curate: {what} failed: {why} (log: {DisplayPath.For(files.Log)})");
        }

        await error.WriteLineAsync(step.IsSingle
            ? $"curate: run failed: step {step.Index} failed; run the same command again to rerun it and what follows"
            : $"curate: run failed: {failed.Count} of {plan.Tasks} tasks failed; run the same command again to rerun only those");
        return ExitCodes.RunFailed;
    }

    /// <summary>The plan already in the work folder when it still fits (a relaunch), else a new one, saved before any task runs.</summary>
    private static ShardPlan LoadOrPlan(PreparedPipeline prepared, RunRequest request, int tasks, WorkDirectory work)
    {
        var settings = new ShardRunSettings(
            Path.GetFullPath(request.PipelineFile),
            Environment.CurrentDirectory,
            tasks,
            request.Seed,
            request.OutputDirectory is null ? null : Path.GetFullPath(request.OutputDirectory),
            request.FailFast);
        if (File.Exists(work.PlanFile))
        {
            var existing = ShardPlan.Load(work.PlanFile);
            if (existing.Tasks != tasks)
            {
                throw new CurationException(
                    $"{DisplayPath.For(work.Path)}: holds parts of a different plan ({existing.Tasks} tasks, not {tasks}); remove the folder or choose another --work-dir");
            }

            if (ShardPlanner.ConfigHash(prepared, settings, RunHandler.ToolVersion) != existing.ConfigSha256)
            {
                throw new CurationException(
                    $"{DisplayPath.For(work.Path)}: holds parts of a different plan (the pipeline, seed, output folder, working folder or tool version changed); remove the folder or choose another --work-dir");
            }

            PlanMatch.Check(existing, prepared, work, RunHandler.ToolVersion);
            return existing;
        }

        var plan = ShardPlanner.Plan(prepared, settings, RunHandler.ToolVersion);
        work.Create();
        plan.Save(work.PlanFile);
        return plan;
    }
}
