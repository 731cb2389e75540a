using System.Diagnostics;

namespace Curation.TestKit;

/// <summary>
/// The one-node cluster of tests/slurm/start-cluster.sh. When its node is not up, the first test that needs it
/// runs the script (as root, or through sudo without a password); where that cannot work, <see cref="Missing"/>
/// says why and the tests report Skipped with it.
/// </summary>
public static class LocalSlurmCluster
{
    private static readonly Lazy<string?> Problem = new(Start);

    /// <summary>Why no cluster is available, or null when its node is up.</summary>
    public static string? Missing => Problem.Value;

    private static string? Start()
    {
        if (NodeUp())
        {
            return null;
        }

        var script = Path.Combine(RepositoryPaths.Root, "tests", "slurm", "start-cluster.sh");
        if (Which("sbatch") is null)
        {
            return "no local Slurm cluster: sbatch not found (install Debian's slurm-wlm and munge, then run tests/slurm/start-cluster.sh as root)";
        }

        var (program, arguments) = Environment.UserName == "root" ? (script, Array.Empty<string>()) : ("sudo", ["-n", script]);
        var (exitCode, output) = Run(program, arguments, TimeSpan.FromSeconds(120));
        if (exitCode != 0 || !NodeUp())
        {
            return $"no local Slurm cluster: {script} failed (exit {exitCode}): {output.Trim().ReplaceLineEndings(" | ")}";
        }

        return null;
    }

    private static bool NodeUp()
    {
        if (Which("sinfo") is null)
        {
            return false;
        }

        var (exitCode, output) = Run("sinfo", ["--noheader", "--Node", "--format=%T"], TimeSpan.FromSeconds(20));
        return exitCode == 0 && output.Split('\n', StringSplitOptions.TrimEntries).Any(state => state is "idle" or "mixed" or "allocated");
    }

    private static string? Which(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, program))
            .FirstOrDefault(File.Exists);

    private static (int ExitCode, string Output) Run(string program, IReadOnlyList<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, $"{program}: {e.Message}");
        }

        using var running = process;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"timed out after {timeout.TotalSeconds:0} s");
        }

        return (process.ExitCode, output.Result + error.Result);
    }
}
