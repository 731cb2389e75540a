using System.Diagnostics;
using System.Globalization;

namespace Curation.Cli.Tests;

/// <summary>What a <c>curate</c> process printed and returned.</summary>
internal sealed record ProcessResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
}

/// <summary>A small file system mounted for one process only (a private mount namespace): a full disk or a read-only folder.</summary>
/// <param name="Path">Where it is mounted (created when missing).</param>
/// <param name="Options">tmpfs mount options, e.g. <c>size=256k</c> or <c>ro</c>.</param>
/// <param name="Snapshot">Where its contents are copied after the process ends (the mount goes with the process).</param>
/// <param name="CopyIn">A folder whose contents are copied onto the new file system before the process starts.</param>
internal sealed record PrivateMount(string Path, string Options, string Snapshot, string? CopyIn = null);

/// <summary>
/// Runs <c>curate</c> as its own process, optionally with a private TMPDIR and with small or read-only file systems
/// mounted for it alone (<c>unshare --mount --map-root-user</c>, so no root is needed and nothing outlives the test).
/// </summary>
internal static class CurateProcess
{
    private static readonly Lazy<string?> MountProblem = new(ProbeMounts);

    public static string CurateDll => typeof(CurateApp).Assembly.Location;

    /// <summary>Why private mounts cannot be made here, or null when they can.</summary>
    public static string? CannotMount => MountProblem.Value;

    public static ProcessStartInfo StartInfo(IEnumerable<string> args, string? tmpDirectory = null, IReadOnlyList<PrivateMount>? mounts = null)
    {
        ProcessStartInfo info;
        if (mounts is { Count: > 0 })
        {
            // The mounts exist only inside this namespace: copy what the test wants to look at out before leaving it.
            var script = string.Concat(mounts.Select((m, i) => $"mkdir -p \"$M{i}\" && mount -t tmpfs -o {m.Options} tmpfs \"$M{i}\" || exit 90; "
                    + (m.CopyIn is null ? string.Empty : $"cp -a \"$C{i}/.\" \"$M{i}/\" || exit 91; ")))
                + "\"$@\"; rc=$?; "
                + string.Concat(mounts.Select((_, i) => $"mkdir -p \"$S{i}\" && cp -a \"$M{i}/.\" \"$S{i}/\"; "))
                + "exit $rc";
            info = new ProcessStartInfo("unshare", ["--mount", "--map-root-user", "--propagation", "private", "sh", "-c", script, "sh", "dotnet", CurateDll, .. args]);
            for (var i = 0; i < mounts.Count; i++)
            {
                Directory.CreateDirectory(mounts[i].Path);
                info.Environment[$"M{i}"] = mounts[i].Path;
                info.Environment[$"S{i}"] = mounts[i].Snapshot;
                if (mounts[i].CopyIn is { } copyIn)
                {
                    info.Environment[$"C{i}"] = copyIn;
                }
            }
        }
        else
        {
            info = new ProcessStartInfo("dotnet", [CurateDll, .. args]);
        }

        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        if (tmpDirectory is not null)
        {
            Directory.CreateDirectory(tmpDirectory);
            info.Environment["TMPDIR"] = tmpDirectory;
        }

        return info;
    }

    public static async Task<ProcessResult> RunAsync(IEnumerable<string> args, string? tmpDirectory = null, IReadOnlyList<PrivateMount>? mounts = null)
    {
        using var process = Process.Start(StartInfo(args, tmpDirectory, mounts))!;
        return await WaitAsync(process, TimeSpan.FromMinutes(3));
    }

    public static async Task<ProcessResult> WaitAsync(Process process, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(process);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"curate did not finish within {timeout}\nstdout: {await stdout}\nstderr: {await stderr}");
        }

        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Sends a signal by name (INT, TERM, KILL) with kill(1).</summary>
    public static async Task SignalAsync(Process process, string signal)
    {
        ArgumentNullException.ThrowIfNull(process);
        using var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    /// <summary>
    /// SIGINT, unless this process inherited it ignored (a shell without job control starts background commands so,
    /// and curate, like any well-behaved tool, keeps an inherited ignore); then SIGTERM, which curate handles the same way.
    /// </summary>
    public static string InterruptSignal()
    {
        var ignored = File.Exists("/proc/self/status")
            && File.ReadLines("/proc/self/status").FirstOrDefault(line => line.StartsWith("SigIgn:", StringComparison.Ordinal)) is { } line
            && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & (1UL << (2 - 1))) != 0;
        return ignored ? "TERM" : "INT";
    }

    private static string? ProbeMounts()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "private mounts need Linux";
        }

        try
        {
            var probe = Path.Combine(Path.GetTempPath(), "curation-tests", "mount-probe-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(probe);
            using var process = Process.Start(new ProcessStartInfo(
                "unshare", ["--mount", "--map-root-user", "--propagation", "private", "sh", "-c", $"mount -t tmpfs -o size=64k tmpfs '{probe}'"])
            {
                RedirectStandardError = true,
            })!;
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Directory.Delete(probe);
            return process.ExitCode == 0 ? null : $"unshare/mount failed here: {error.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return $"unshare is not available: {ex.Message}";
        }
    }
}
