using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace Curation.Pipeline.Slurm;

/// <summary>
/// What each Slurm task asks for, from a pipeline's <c>executor:</c> section (snake_case keys, bound by
/// <see cref="Core.Config.OptionsBinder"/>) or from the command line (<see cref="FlagNames"/>). Every setting is
/// optional: what is left out is the cluster's own default, so a site's defaults and limits stay in charge.
/// </summary>
internal sealed partial class SlurmResources : IValidatableObject
{
    /// <summary>CPUs per task (<c>--cpus-per-task</c>).</summary>
    [Range(1, int.MaxValue)]
    public int? CpusPerTask { get; init; }

    /// <summary>Memory per task as sbatch's <c>--mem</c> reads it: a whole number with an optional K, M, G or T (megabytes without).</summary>
    public string? Mem { get; init; }

    /// <summary>Wall-time limit per task as sbatch's <c>--time</c> reads it: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS.</summary>
    public string? Time { get; init; }

    /// <summary>Partition, or several separated by commas (the first that can start the task runs it).</summary>
    public string? Partition { get; init; }

    /// <summary>Account the tasks are charged to.</summary>
    public string? Account { get; init; }

    /// <summary>Most tasks of one array running at once (the <c>%P</c> of <c>--array=0-(N-1)%P</c>); all when unset.</summary>
    [Range(1, int.MaxValue)]
    public int? MaxParallel { get; init; }

    /// <summary>The command-line flag of each setting, keyed by its name in the file, to rename messages about flags.</summary>
    public static IReadOnlyDictionary<string, string> FlagNames { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["cpus_per_task"] = "--cpus-per-task",
        ["mem"] = "--mem",
        ["time"] = "--time",
        ["partition"] = "--partition",
        ["account"] = "--account",
        ["max_parallel"] = "--max-parallel",
    };

    /// <summary>These settings with every one that <paramref name="overrides"/> sets taken from it (flags over the file).</summary>
    public SlurmResources With(SlurmResources overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        return new SlurmResources
        {
            CpusPerTask = overrides.CpusPerTask ?? CpusPerTask,
            Mem = overrides.Mem ?? Mem,
            Time = overrides.Time ?? Time,
            Partition = overrides.Partition ?? Partition,
            Account = overrides.Account ?? Account,
            MaxParallel = overrides.MaxParallel ?? MaxParallel,
        };
    }

    /// <summary>Every problem with these settings, one line each, naming the setting by its key in the file.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (CpusPerTask is < 1)
        {
            problems.Add($"cpus_per_task: expected an integer of at least 1, got {CpusPerTask}");
        }

        if (MaxParallel is < 1)
        {
            problems.Add($"max_parallel: expected an integer of at least 1, got {MaxParallel}");
        }

        problems.AddRange(Validate(new ValidationContext(this)).Select(r => $"{ConfigKey(r)}: {r.ErrorMessage}"));
        return problems;
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Mem is not null && !MemoryPattern().IsMatch(Mem))
        {
            yield return new ValidationResult($"expected a whole number with an optional K, M, G or T (e.g. 4G, 500M; megabytes without), got '{Mem}'", [nameof(Mem)]);
        }

        if (Time is not null && !IsSlurmTime(Time))
        {
            yield return new ValidationResult($"expected minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS (e.g. 90, 2:00:00, 1-12), got '{Time}'", [nameof(Time)]);
        }

        if (Partition is not null && !NamePattern().IsMatch(Partition))
        {
            yield return new ValidationResult($"expected a partition name (several separated by commas, no spaces), got '{Partition}'", [nameof(Partition)]);
        }

        if (Account is not null && !NamePattern().IsMatch(Account))
        {
            yield return new ValidationResult($"expected an account name (no spaces or commas), got '{Account}'", [nameof(Account)]);
        }
        else if (Account is not null && Account.Contains(',', StringComparison.Ordinal))
        {
            yield return new ValidationResult($"expected one account name, got '{Account}'", [nameof(Account)]);
        }
    }

    private static bool IsSlurmTime(string time)
    {
        var match = TimePattern().Match(time);
        if (!match.Success)
        {
            return false;
        }

        // In H:M:S forms the minutes and seconds are below 60; a bare number of minutes may be any size.
        var parts = time.Split('-', ':');
        return parts.Length == 1 || parts.Skip(time.Contains('-', StringComparison.Ordinal) ? 2 : 1).All(p => int.Parse(p, System.Globalization.CultureInfo.InvariantCulture) < 60);
    }

    private static string ConfigKey(ValidationResult result) =>
        Core.Config.ConfigNames.ForProperty(result.MemberNames.FirstOrDefault() ?? string.Empty);

    [GeneratedRegex(@"^[0-9]+[KMGT]?$")]
    private static partial Regex MemoryPattern();

    [GeneratedRegex(@"^([0-9]+|[0-9]+:[0-9]+|[0-9]+:[0-9]+:[0-9]+|[0-9]+-[0-9]+|[0-9]+-[0-9]+:[0-9]+|[0-9]+-[0-9]+:[0-9]+:[0-9]+)$")]
    private static partial Regex TimePattern();

    [GeneratedRegex(@"^[A-Za-z0-9_.\-]+(,[A-Za-z0-9_.\-]+)*$")]
    private static partial Regex NamePattern();
}
