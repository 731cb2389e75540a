using System.Diagnostics;
using System.Text.Json;
using Curation.TestKit;

namespace Curation.Cli.Tests.EndToEnd;

/// <summary>
/// Starts <c>curate run</c> as its own process reading from a named pipe, so the test controls exactly when input
/// arrives, sends it SIGINT mid-run, and checks that it stops cleanly: exit 130, outputs and manifest marked incomplete.
/// </summary>
public sealed class InterruptTests
{
    private const string Line = """{"messages":[{"role":"user","content":"What is a named pipe?"},{"role":"assistant","content":"A FIFO special file: one process writes, another reads."}]}""";

    [Fact]
    public async Task Run_Sigint_StopsCleanly_AndMarksOutputsIncomplete()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var temp = new TempFolder();
        var fifo = temp.File("in.jsonl");
        using (var mkfifo = Process.Start("mkfifo", fifo))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var pipeline = temp.Write("p.yaml", "inputs: [in.jsonl]\nstages: [normalize, validate]\noutput:\n  dir: out\n");
        var curate = new ProcessStartInfo("dotnet", [typeof(CurateApp).Assembly.Location, "run", pipeline])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(curate)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();

        await using (var writer = new StreamWriter(fifo))
        {
            // Far more than a pipe buffer holds: these writes return only once curate has read most of them.
            for (var i = 0; i < 5000; i++)
            {
                await writer.WriteLineAsync(Line);
            }

            await writer.FlushAsync();
            using (var kill = Process.Start("kill", [InterruptSignal(), process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            // Keep the pipe open a moment: the run must stop on the signal, not on end of input.
            await Task.WhenAny(process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(20)));
            if (!process.HasExited)
            {
                process.Kill();
                await process.WaitForExitAsync();
                Assert.Fail($"curate did not stop within 20 s of SIGINT while its input stayed open\nstdout: {await stdout}\nstderr: {await stderr}");
            }
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        var error = await stderr;
        Assert.True(process.ExitCode == ExitCodes.Interrupted, $"exit {process.ExitCode}\n{await stdout}\n{error}");
        Assert.Contains("interrupted", error, StringComparison.Ordinal);
        using var manifest = JsonDocument.Parse(File.ReadAllText(temp.File("out/manifest.json")));
        Assert.StartsWith("incomplete", manifest.RootElement.GetProperty("status").GetString(), StringComparison.Ordinal);
        Assert.All(manifest.RootElement.GetProperty("outputs").EnumerateArray(), o => Assert.False(o.GetProperty("complete").GetBoolean()));
    }

    /// <summary>
    /// SIGINT, unless this process inherited it ignored (a shell without job control starts background commands so,
    /// and curate, like any well-behaved tool, keeps an inherited ignore); then SIGTERM, which curate handles the same way.
    /// </summary>
    private static string InterruptSignal()
    {
        var ignored = File.Exists("/proc/self/status")
            && File.ReadLines("/proc/self/status").FirstOrDefault(line => line.StartsWith("SigIgn:", StringComparison.Ordinal)) is { } line
            && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & (1UL << (2 - 1))) != 0;
        return ignored ? "-TERM" : "-INT";
    }
}
