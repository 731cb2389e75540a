using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Xunit;

namespace Curation.TestKit;

/// <summary>
/// A real <c>curate serve</c> process on a free loopback port: started with <c>--port 0</c>, it is ready once it prints
/// the address it bound. Disposing stops it with SIGTERM (its Ctrl+C path) and waits for it to exit.
/// </summary>
public sealed partial class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly Task<string> _stderr;
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServeProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.BeginOutputReadLine();
        _stderr = _process.StandardError.ReadToEndAsync();
    }

    /// <summary>The server's root, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The OpenAI SDKs' endpoint: the root with <c>/v1</c>.</summary>
    public Uri ApiEndpoint => new(BaseAddress, "v1");

    /// <param name="curateAssembly">The <c>curate</c> program's assembly (<c>typeof(CurateApp).Assembly.Location</c>).</param>
    public static async Task<ServeProcess> StartAsync(string curateAssembly, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet", [curateAssembly, "serve", "--port", "0", "--device", "cpu", .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var server = new ServeProcess(Process.Start(info)!);
        var exited = server._process.WaitForExitAsync();
        var first = await Task.WhenAny(server._listening.Task, exited, Task.Delay(TimeSpan.FromMinutes(2)));
        if (first != server._listening.Task)
        {
            var why = first == exited ? $"exited with {server._process.ExitCode}" : "did not start within 2 minutes";
            await server.DisposeAsync();
            Assert.Fail($"curate serve {why}\nstdout:\n{server.Output}\nstderr:\n{await server._stderr}");
        }

        server.BaseAddress = await server._listening.Task;
        return server;
    }

    /// <summary>What the server printed so far.</summary>
    public string Output
    {
        get
        {
            lock (_lines)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    /// <summary>The first match of <paramref name="pattern"/> in what the server prints, waiting up to <paramref name="timeout"/> for it.</summary>
    public async Task<Match> WaitForOutputAsync(string pattern, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        Match match;
        while (!(match = Regex.Match(Output, pattern, RegexOptions.Multiline)).Success && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        return match;
    }

    /// <summary>Sends SIGTERM (as Ctrl+C does) and waits for the exit code, stdout and stderr.</summary>
    public async Task<(int ExitCode, string Output, string Error)> StopAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
        }

        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            Assert.Fail($"curate serve did not stop within {timeout}\n{Output}");
        }

        return (_process.ExitCode, Output, await _stderr);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await StopAsync(TimeSpan.FromMinutes(1));
        }

        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Add(line);
        }

        if (ListeningLine().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value + "/"));
        }
    }

    [GeneratedRegex(@"^curate serve: listening on (http://[^,;\s]+)")]
    private static partial Regex ListeningLine();
}
