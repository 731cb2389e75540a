using System.Globalization;
using System.Text;
using Curation.Core;

namespace Curation.Pipeline.Slurm;

/// <summary>
/// Submits job arrays to Slurm, reads their tasks' states and cancels them, through Slurm's own commands
/// (sbatch, squeue, sacct, scancel) on this machine. Failures a user can fix (Slurm not installed, a partition or
/// account refused, resources no node has) are <see cref="CurationException"/>s carrying Slurm's own words.
/// </summary>
internal sealed class SlurmClient
{
    // Pending reasons that never clear by themselves: waiting on them would wait forever. (A failed dependency
    // is not one of them: the arrays are submitted with --kill-on-invalid-dep, so Slurm cancels them.)
    private static readonly HashSet<string> HopelessReasons = new(StringComparer.Ordinal)
    {
        "PartitionConfig", "PartitionNodeLimit", "PartitionTimeLimit", "BadConstraints",
        "InvalidAccount", "InvalidQOS",
    };

    private readonly ICommandRunner _runner;
    private readonly TimeProvider _time;
    private bool? _accountingEnabled;

    public SlurmClient(ICommandRunner runner, TimeProvider time)
    {
        _runner = runner;
        _time = time;
    }

    /// <summary>
    /// Submits <paramref name="request"/> and returns its job id at once (the tasks run later). Creates the log
    /// folder first: Slurm would accept the array and then lose every task's output without a word.
    /// </summary>
    public async Task<string> SubmitArrayAsync(SlurmArrayRequest request, CancellationToken cancellationToken)
    {
        var arguments = SubmitArguments(request);
        try
        {
            Directory.CreateDirectory(request.LogDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CurationException($"cannot create the log folder {request.LogDirectory} of job array '{request.JobName}': {e.Message}", e);
        }

        var result = await RunAsync("sbatch", arguments, BatchScript(request.Command, request.AppendTaskIndex), cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new CurationException(SubmitFailure(request, result));
        }

        // --parsable prints "JOBID" or "JOBID;CLUSTER".
        var jobId = result.StandardOutput.Trim().Split(';', 2)[0];
        if (jobId.Length == 0 || !jobId.All(char.IsAsciiDigit))
        {
            throw new CurationException($"sbatch printed no job id for '{request.JobName}' (it printed '{result.StandardOutput.Trim()}')");
        }

        return jobId;
    }

    /// <summary>
    /// The state of every task of job <paramref name="jobId"/> that Slurm still knows, by index: squeue for the
    /// tasks the controller holds (pending, running and recently finished), sacct for older ones where the cluster
    /// keeps accounting. Empty when Slurm knows the job no more.
    /// </summary>
    public async Task<IReadOnlyList<SlurmTaskStatus>> ReadTasksAsync(string jobId, CancellationToken cancellationToken)
    {
        var byIndex = new SortedDictionary<int, SlurmTaskStatus>();
        foreach (var status in await SqueueAsync(jobId, cancellationToken))
        {
            byIndex[status.Index] = status;
        }

        foreach (var status in await SacctAsync(jobId, cancellationToken))
        {
            byIndex.TryAdd(status.Index, status);
        }

        return byIndex.Values.ToArray();
    }

    /// <summary>Cancels the whole array, or only task <paramref name="index"/> of it.</summary>
    public async Task CancelAsync(string jobId, int? index, CancellationToken cancellationToken)
    {
        var target = index is { } i ? $"{jobId}_{i.ToString(CultureInfo.InvariantCulture)}" : jobId;
        var result = await RunAsync("scancel", [target], null, cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new CurationException($"scancel {target} failed: {SlurmMessage(result)}");
        }
    }

    /// <summary>
    /// Polls every <paramref name="pollInterval"/> until no task of <paramref name="jobId"/> is pending or running,
    /// and returns the tasks' last states; <paramref name="progress"/> sees each poll's states.
    /// </summary>
    /// <exception cref="CurationException">A task waits for something that will never happen (a partition limit, an account it may not use), or Slurm forgot the job.</exception>
    public async Task<IReadOnlyList<SlurmTaskStatus>> WaitAsync(
        string jobId, TimeSpan pollInterval, Action<IReadOnlyList<SlurmTaskStatus>>? progress, CancellationToken cancellationToken)
    {
        while (true)
        {
            var tasks = await ReadTasksAsync(jobId, cancellationToken);
            progress?.Invoke(tasks);
            if (tasks.Count == 0)
            {
                throw new CurationException($"Slurm no longer knows job {jobId} (it was purged before its tasks were read; the task markers in the work folder say which finished)");
            }

            if (tasks.All(t => t.IsFinished))
            {
                return tasks;
            }

            if (tasks.FirstOrDefault(t => t.State == SlurmTaskState.Pending && HopelessReasons.Contains(t.Reason)) is { } stuck)
            {
                throw new CurationException($"Slurm task {stuck.TaskId} cannot start: {stuck.Reason} ({ReasonHint(stuck.Reason)}); cancel it with: scancel {jobId}");
            }

            await Task.Delay(pollInterval, _time, cancellationToken);
        }
    }

    internal static IReadOnlyList<string> SubmitArguments(SlurmArrayRequest request)
    {
        if (request.Indices.Count == 0)
        {
            throw new ArgumentException("a job array needs at least one task index", nameof(request));
        }

        if (request.Command.Count == 0)
        {
            throw new ArgumentException("a job array needs a command", nameof(request));
        }

        var resources = request.Resources;
        var array = ArraySpec(request.Indices);
        if (resources.MaxParallel is { } parallel)
        {
            array += "%" + parallel.ToString(CultureInfo.InvariantCulture);
        }

        var arguments = new List<string>
        {
            "--parsable",
            "--array=" + array,
            "--job-name=" + request.JobName,
            "--output=" + Path.Combine(request.LogDirectory, "%x-%A_%a.log"),
        };
        if (request.WorkingDirectory is { } directory)
        {
            arguments.Add("--chdir=" + directory);
        }

        if (request.AfterOk.Count > 0)
        {
            arguments.Add("--dependency=afterok:" + string.Join(':', request.AfterOk));
            // A failed dependency cancels the array instead of leaving it pending for ever.
            arguments.Add("--kill-on-invalid-dep=yes");
        }

        AddIfSet(arguments, "--cpus-per-task=", resources.CpusPerTask?.ToString(CultureInfo.InvariantCulture));
        AddIfSet(arguments, "--mem=", resources.Mem);
        AddIfSet(arguments, "--time=", resources.Time);
        AddIfSet(arguments, "--partition=", resources.Partition);
        AddIfSet(arguments, "--account=", resources.Account);
        return arguments;
    }

    /// <summary>The batch script sbatch reads from standard input: the command, quoted for sh, with the task index appended unless told not to.</summary>
    internal static string BatchScript(IReadOnlyList<string> command, bool appendTaskIndex = true)
    {
        var script = new StringBuilder("#!/bin/sh\n");
        script.Append("exec");
        foreach (var word in command)
        {
            script.Append(' ').Append(ShellQuote(word));
        }

        script.Append(appendTaskIndex ? " \"$SLURM_ARRAY_TASK_ID\"\n" : "\n");
        return script.ToString();
    }

    /// <summary>Sorted indices as sbatch's --array list: runs of consecutive indices as ranges (0-3,7,9-10).</summary>
    internal static string ArraySpec(IReadOnlyList<int> indices)
    {
        var sorted = indices.Distinct().Order().ToArray();
        if (sorted[0] < 0)
        {
            throw new ArgumentException($"task indices start at 0, got {sorted[0]}", nameof(indices));
        }

        var parts = new List<string>();
        for (var start = 0; start < sorted.Length;)
        {
            var end = start;
            while (end + 1 < sorted.Length && sorted[end + 1] == sorted[end] + 1)
            {
                end++;
            }

            parts.Add(end == start
                ? sorted[start].ToString(CultureInfo.InvariantCulture)
                : string.Create(CultureInfo.InvariantCulture, $"{sorted[start]}-{sorted[end]}"));
            start = end + 1;
        }

        return string.Join(',', parts);
    }

    /// <summary>Parses <c>squeue --array --format=%i|%T|%r</c> lines (<c>12_3|PENDING|Dependency</c>).</summary>
    internal static IReadOnlyList<SlurmTaskStatus> ParseSqueue(string jobId, string output) =>
        Lines(output)
            .Select(line => line.Split('|'))
            .Where(fields => fields.Length >= 3)
            .SelectMany(fields => ExpandTaskIds(jobId, fields[0])
                .Select(index => new SlurmTaskStatus(jobId, index, SlurmStates.Parse(fields[1]), fields[1], NoReason(fields[2]))))
            .ToArray();

    /// <summary>
    /// Parses <c>sacct --allocations --noheader --parsable2 --format=JobID,State</c> lines: <c>12_3|COMPLETED</c>,
    /// <c>12_5|CANCELLED by 0</c>, and pending tasks folded into one line, <c>12_[4-7%2]|PENDING</c>.
    /// </summary>
    internal static IReadOnlyList<SlurmTaskStatus> ParseSacct(string jobId, string output) =>
        Lines(output)
            .Select(line => line.Split('|'))
            .Where(fields => fields.Length >= 2)
            .SelectMany(fields => ExpandTaskIds(jobId, fields[0])
                .Select(index => new SlurmTaskStatus(jobId, index, SlurmStates.Parse(fields[1]), fields[1], string.Empty)))
            .ToArray();

    private async Task<IReadOnlyList<SlurmTaskStatus>> SqueueAsync(string jobId, CancellationToken cancellationToken)
    {
        var result = await RunAsync("squeue", ["--noheader", "--array", "--states=all", "--jobs=" + jobId, "--format=%i|%T|%r"], null, cancellationToken);
        if (result.ExitCode != 0)
        {
            // The controller has purged the job (older than MinJobAge): only accounting can know it now.
            if (result.StandardError.Contains("Invalid job id", StringComparison.OrdinalIgnoreCase))
            {
                return [];
            }

            throw new CurationException($"squeue could not read job {jobId}: {SlurmMessage(result)}");
        }

        return ParseSqueue(jobId, result.StandardOutput);
    }

    private async Task<IReadOnlyList<SlurmTaskStatus>> SacctAsync(string jobId, CancellationToken cancellationToken)
    {
        if (_accountingEnabled == false)
        {
            return [];
        }

        var result = await RunAsync("sacct", ["--allocations", "--noheader", "--parsable2", "--jobs=" + jobId, "--format=JobID,State"], null, cancellationToken);
        if (result.ExitCode != 0)
        {
            // A cluster without slurmdbd has no job accounting; squeue alone then tells the states.
            if (result.StandardError.Contains("accounting storage is disabled", StringComparison.OrdinalIgnoreCase))
            {
                _accountingEnabled = false;
                return [];
            }

            throw new CurationException($"sacct could not read job {jobId}: {SlurmMessage(result)}");
        }

        _accountingEnabled = true;
        return ParseSacct(jobId, result.StandardOutput);
    }

    private async Task<CommandResult> RunAsync(string program, IReadOnlyList<string> arguments, string? input, CancellationToken cancellationToken)
    {
        try
        {
            return await _runner.RunAsync(program, arguments, input, cancellationToken);
        }
        catch (CommandNotFoundException e)
        {
            throw new CurationException($"{program} not found on PATH: the Slurm executor runs where Slurm's commands do (a login node, or a machine with the slurm-client package)", e);
        }
    }

    /// <summary>The task indices of a job id field: <c>12_3</c>, or a folded <c>12_[0-3,7%2]</c>; none for other jobs' lines or the array's own line.</summary>
    private static List<int> ExpandTaskIds(string jobId, string field)
    {
        var prefix = jobId + "_";
        if (!field.StartsWith(prefix, StringComparison.Ordinal))
        {
            return [];
        }

        var spec = field[prefix.Length..];
        if (!spec.StartsWith('['))
        {
            return int.TryParse(spec, NumberStyles.None, CultureInfo.InvariantCulture, out var single) ? [single] : [];
        }

        spec = spec.Trim('[', ']').Split('%', 2)[0];
        var indices = new List<int>();
        foreach (var part in spec.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var bounds = part.Split('-', 2);
            var first = int.Parse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture);
            var last = bounds.Length == 2 ? int.Parse(bounds[1], NumberStyles.None, CultureInfo.InvariantCulture) : first;
            for (var i = first; i <= last; i++)
            {
                indices.Add(i);
            }
        }

        return indices;
    }

    private static string SubmitFailure(SlurmArrayRequest request, CommandResult result)
    {
        var message = SlurmMessage(result);
        var hint = message switch
        {
            _ when Has(message, "invalid partition") => "; the partitions here: sinfo --summarize",
            _ when Has(message, "account") => "; your accounts and their partitions: sacctmgr show associations user=$USER format=account,partition",
            _ when Has(message, "node configuration is not available") || Has(message, "Memory specification") =>
                "; ask for fewer CPUs or less memory per task (what the nodes have: sinfo --Node --long)",
            _ when Has(message, "time limit") => "; the partitions' time limits: sinfo --summarize",
            _ => string.Empty,
        };
        return $"sbatch refused job array '{request.JobName}': {message}{hint}";
    }

    private static bool Has(string text, string part) => text.Contains(part, StringComparison.OrdinalIgnoreCase);

    /// <summary>Slurm's error lines as one line, without the repeated "sbatch: error: " prefixes.</summary>
    private static string SlurmMessage(CommandResult result)
    {
        var text = result.StandardError.Trim().Length > 0 ? result.StandardError : result.StandardOutput;
        var lines = Lines(text)
            .Select(line => line.Contains("error: ", StringComparison.Ordinal) ? line[(line.IndexOf("error: ", StringComparison.Ordinal) + 7)..] : line)
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        return lines.Length > 0 ? string.Join("; ", lines) : $"exit status {result.ExitCode} and no message";
    }

    private static string ReasonHint(string reason) => reason switch
    {
        "PartitionConfig" or "PartitionNodeLimit" => "it asks for more CPUs, memory or nodes than the partition allows",
        "PartitionTimeLimit" => "its time limit is above the partition's",
        "InvalidAccount" or "InvalidQOS" => "the account or QOS is not valid for this partition",
        _ => "the cluster cannot run it as asked",
    };

    private static string NoReason(string reason) => reason == "None" ? string.Empty : reason;

    private static string[] Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static void AddIfSet(List<string> arguments, string flag, string? value)
    {
        if (value is not null)
        {
            arguments.Add(flag + value);
        }
    }

    private static string ShellQuote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
