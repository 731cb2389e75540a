using System.Text.Json;
using System.Text.Json.Serialization;
using Curation.Core;
using Curation.Core.Files;

namespace Curation.Pipeline.ScaleOut;

/// <summary>A job of one earlier step of a submission: an array of a step's tasks, or a gather step's one-task job.</summary>
internal sealed record SlurmStepJob(int Step, bool Gather, string Job, string JobName, IReadOnlyList<int> Tasks)
{
    /// <summary>The log of task <paramref name="task"/> of this job (<c>%x-%A_%a.log</c>; index 0 for a gather step).</summary>
    public string Log(WorkDirectory work, int task) =>
        Path.Combine(work.LogsFolder, $"{JobName}-{Job}_{(Gather ? 0 : task).ToString(System.Globalization.CultureInfo.InvariantCulture)}.log");
}

/// <summary>
/// One submission of a sharded run to Slurm: the jobs of earlier steps still to run (a run with stages that need every
/// record), the array of the last step's tasks that had no completion marker (none when all had one) and the merge job
/// that depends on them.
/// </summary>
/// <param name="TasksJob">The array's job id; null when every task was already done.</param>
/// <param name="Tasks">The task indices the array runs.</param>
internal sealed record SlurmSubmission(string? TasksJob, string TasksJobName, IReadOnlyList<int> Tasks, string MergeJob, string MergeJobName)
{
    /// <summary>The log of task <paramref name="task"/> of this submission (sbatch's <c>%x-%A_%a.log</c>).</summary>
    public string TaskLog(WorkDirectory work, int task) => LogOf(work, TasksJobName, TasksJob!, task);

    /// <summary>The log of the merge job (a one-task array, index 0).</summary>
    public string MergeLog(WorkDirectory work) => LogOf(work, MergeJobName, MergeJob, 0);

    /// <summary>The jobs of earlier steps, in the order they run.</summary>
    public IReadOnlyList<SlurmStepJob> Steps { get; init; } = [];

    /// <summary>Every job id of this submission, in the order they run.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> JobIds => [.. Steps.Select(step => step.Job), .. TasksJob is null ? Array.Empty<string>() : [TasksJob], MergeJob];

    private static string LogOf(WorkDirectory work, string name, string job, int index) =>
        Path.Combine(work.LogsFolder, $"{name}-{job}_{index.ToString(System.Globalization.CultureInfo.InvariantCulture)}.log");
}

/// <summary>
/// <c>jobs.json</c> of a work folder: every submission of the run to Slurm, oldest first, so that <c>curate status</c>
/// can ask Slurm about each unfinished task's latest job and name its log, and a relaunch can refuse to run tasks
/// whose jobs are still queued.
/// </summary>
internal sealed record SlurmJobsRecord(IReadOnlyList<SlurmSubmission> Submissions)
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    [JsonIgnore]
    public SlurmSubmission? Latest => Submissions.Count > 0 ? Submissions[^1] : null;

    /// <summary>The latest submission that ran task <paramref name="task"/>, or null when none did.</summary>
    public SlurmSubmission? LatestFor(int task) => Submissions.LastOrDefault(submission => submission.TasksJob is not null && submission.Tasks.Contains(task));

    public SlurmJobsRecord With(SlurmSubmission submission) => new([.. Submissions, submission]);

    /// <summary>The record in the work folder; empty when the run was never submitted to Slurm.</summary>
    /// <exception cref="CurationException">The file exists but cannot be read.</exception>
    public static SlurmJobsRecord Load(WorkDirectory work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (!File.Exists(work.JobsFile))
        {
            return new SlurmJobsRecord([]);
        }

        try
        {
            return JsonSerializer.Deserialize<SlurmJobsRecord>(File.ReadAllText(work.JobsFile), Options)
                ?? throw new CurationException($"{DisplayPath.For(work.JobsFile)}: not a record of Slurm jobs");
        }
        catch (JsonException e)
        {
            throw new CurationException($"{DisplayPath.For(work.JobsFile)}: not a record of Slurm jobs: {e.Message}", e);
        }
    }

    public void Save(WorkDirectory work)
    {
        ArgumentNullException.ThrowIfNull(work);
        AtomicFile.WriteAllText(work.JobsFile, JsonSerializer.Serialize(this, Options) + "\n");
    }
}
