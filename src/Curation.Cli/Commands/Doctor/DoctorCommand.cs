using System.CommandLine;
using Curation.Training.Runtime;

namespace Curation.Cli.Commands.Doctor;

/// <summary><c>curate doctor</c>: what the training runtime has (libtorch, threads, CUDA) and what it lacks.</summary>
internal static class DoctorCommand
{
    public static Command Create()
    {
        var command = new Command("doctor", "Report the training runtime: .NET, glibc and libstdc++, TorchSharp and libtorch, CPU threads, CUDA devices and what is missing for CUDA.");
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var writer = parseResult.InvocationConfiguration.Output;
            var checks = TorchDoctor.Examine();
            var width = checks.Max(c => c.Name.Length);
            foreach (var check in checks)
            {
                await writer.WriteLineAsync($"{check.Name.PadRight(width)}  {(check.Ok ? string.Empty : "PROBLEM: ")}{check.Value}");
            }

            return checks.All(c => c.Ok) ? ExitCodes.Ok : ExitCodes.RunFailed;
        });
        return command;
    }
}
