using System.Runtime.InteropServices;

namespace Curation.Cli.Console;

/// <summary>
/// The first Ctrl+C or SIGTERM asks the run to stop cleanly (outputs marked incomplete, manifest written);
/// a second Ctrl+C ends the process at once.
/// </summary>
internal sealed class InterruptHandler : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly TextWriter _error;
    private readonly PosixSignalRegistration? _sigterm;
    private int _interrupts;

    public InterruptHandler(TextWriter error)
    {
        _error = error;
        System.Console.CancelKeyPress += OnCancelKeyPress;
        _sigterm = OperatingSystem.IsWindows() ? null : PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSigterm);
    }

    public CancellationToken Token => _cancellation.Token;

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        if (Interlocked.Increment(ref _interrupts) == 1)
        {
            e.Cancel = true;
            _error.WriteLine("curate: stopping cleanly (outputs will be marked incomplete); press Ctrl+C again to abort at once");
            _cancellation.Cancel();
        }
    }

    private void OnSigterm(PosixSignalContext context)
    {
        context.Cancel = true;
        Interlocked.Increment(ref _interrupts);
        _cancellation.Cancel();
    }

    public void Dispose()
    {
        System.Console.CancelKeyPress -= OnCancelKeyPress;
        _sigterm?.Dispose();
        _cancellation.Dispose();
    }
}
