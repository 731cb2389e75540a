using System.ComponentModel;
using System.Diagnostics;

namespace Curation.Pipeline.Slurm;

/// <summary>What a finished command left: its exit status and everything it wrote.</summary>
internal sealed record CommandResult(int ExitCode, string StandardOutput, string StandardError);

/// <summary>Runs a program with arguments and optional standard input; the seam that lets tests check command lines.</summary>
internal interface ICommandRunner
{
    /// <exception cref="CommandNotFoundException">The program is not on PATH.</exception>
    Task<CommandResult> RunAsync(string program, IReadOnlyList<string> arguments, string? standardInput, CancellationToken cancellationToken);
}

/// <summary>The program of a command is not installed (not on PATH).</summary>
internal sealed class CommandNotFoundException : Exception
{
    public CommandNotFoundException()
    {
    }

    public CommandNotFoundException(string program)
        : base($"{program} not found on PATH")
    {
    }

    public CommandNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Runs commands as child processes, arguments passed as a list (no shell, no quoting).</summary>
internal sealed class ProcessCommandRunner : ICommandRunner
{
    public static ProcessCommandRunner Instance { get; } = new();

    public async Task<CommandResult> RunAsync(string program, IReadOnlyList<string> arguments, string? standardInput, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new CommandNotFoundException($"{program} not found on PATH", e);
        }

        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput.AsMemory(), cancellationToken);
        }

        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new CommandResult(process.ExitCode, await output, await error);
    }
}
