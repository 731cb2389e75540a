using System.Runtime.InteropServices;
using Curation.Core.Files;

namespace Curation.Cli.Console;

/// <summary>
/// The first Ctrl+C, SIGTERM or SIGHUP asks the run to stop cleanly (what was written so far is kept as
/// <c>*.incomplete</c>, the manifest says why). A second one aborts at once, but first removes every temporary file,
/// so that nothing is left behind short of SIGKILL (an earlier run's outputs were never touched).
/// </summary>
internal sealed class InterruptHandler : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly TextWriter _error;
    private readonly PosixSignalRegistration[] _signals;
    private int _interrupts;

    public InterruptHandler(TextWriter error)
    {
        _error = error;
        System.Console.CancelKeyPress += OnCancelKeyPress;
        _signals = OperatingSystem.IsWindows()
            ? []
            : [PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal)];
    }

    public CancellationToken Token => _cancellation.Token;

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        e.Cancel = true;
        Interrupt(announce: true);
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        Interrupt(announce: false);
    }

    private void Interrupt(bool announce)
    {
        if (Interlocked.Increment(ref _interrupts) == 1)
        {
            if (announce)
            {
                _error.WriteLine("curate: stopping cleanly; press Ctrl+C again to abort at once");
            }

            _cancellation.Cancel();
            return;
        }

        TemporaryFiles.AbandonAll();
        _error.WriteLine("curate: aborted; temporary files removed, nothing promoted");
        Environment.Exit(ExitCodes.Interrupted);
    }

    public void Dispose()
    {
        System.Console.CancelKeyPress -= OnCancelKeyPress;
        foreach (var signal in _signals)
        {
            signal.Dispose();
        }

        _cancellation.Dispose();
    }
}
