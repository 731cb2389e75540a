using System.CommandLine;
using Curation.Cli.Commands.Classifier;
using Curation.Cli.Commands.Dedup;
using Curation.Cli.Commands.Doctor;
using Curation.Cli.Commands.Generate;
using Curation.Cli.Commands.Model;
using Curation.Cli.Commands.Inspect;
using Curation.Cli.Commands.Review;
using Curation.Cli.Commands.Run;
using Curation.Cli.Commands.ScaleOut;
using Curation.Cli.Commands.Eval;
using Curation.Cli.Commands.Serve;
using Curation.Cli.Commands.Stages;
using Curation.Cli.Commands.Train;
using Curation.Cli.Commands.Validate;
using Curation.Cli.Console;
using Curation.Core;

namespace Curation.Cli;

/// <summary>Builds the command tree, parses, maps parse errors to exit code 2 and runs the chosen command.</summary>
public static class CurateApp
{
    /// <summary>Every subcommand by its name, which is the name its command is created with.</summary>
    internal static IReadOnlyList<(string Name, Func<Command> Create)> Subcommands { get; } =
    [
        ("run", RunCommand.Create),
        ("validate", ValidateCommand.Create),
        ("stages", StagesCommand.Create),
        ("inspect", InspectCommand.Create),
        ("dedup", DedupCommand.Create),
        ("classifier", ClassifierCommand.Create),
        ("review", ReviewCommand.Create),
        ("doctor", DoctorCommand.Create),
        ("model", ModelCommand.Create),
        ("train", TrainCommand.Create),
        ("generate", GenerateCommand.Create),
        ("serve", ServeCommand.Create),
        ("eval", EvalCommand.Create),
        ("status", StatusCommand.Create),
        (ShardTaskCommand.Name, ShardTaskCommand.Create),
        (ShardMergeCommand.Name, ShardMergeCommand.Create),
        (ShardGatherCommand.Name, ShardGatherCommand.Create),
    ];

    /// <summary>
    /// The command tree for <paramref name="args"/>: when they start with a subcommand's name, the root holds only
    /// that subcommand, since making every other one's options and arguments is a large part of a short run's
    /// start-up and nothing after a subcommand's name can reach its siblings; otherwise every subcommand.
    /// </summary>
    internal static RootCommand CreateRootCommand(IReadOnlyList<string> args)
    {
        var root = new RootCommand("curate: turn raw fine-tuning examples into one clean chat dataset, with an account of every record dropped.");
        var named = args.Count > 0 ? Subcommands.Where(subcommand => subcommand.Name == args[0]).ToList() : [];
        foreach (var (_, create) in named.Count > 0 ? named : Subcommands)
        {
            root.Subcommands.Add(create());
        }

        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var root = CreateRootCommand(args);
        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            foreach (var parseError in parseResult.Errors)
            {
                await error.WriteLineAsync($"curate: {parseError.Message}");
            }

            await error.WriteLineAsync($"Run 'curate {parseResult.CommandResult.Command.Name} --help' for usage.".Replace("curate curate", "curate", StringComparison.Ordinal));
            return ExitCodes.UsageOrConfig;
        }

        using var interrupt = new InterruptHandler(error);
        var configuration = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            ProcessTerminationTimeout = null,
            EnableDefaultExceptionHandler = false,
        };

        try
        {
            return await parseResult.InvokeAsync(configuration, interrupt.Token);
        }
        catch (Exception ex) when (Commands.CommandErrors.UserFixable(ex) is { } message)
        {
            await error.WriteLineAsync(message.StartsWith("curate:", StringComparison.Ordinal) ? message : $"curate: {message}");
            return ex is CurationException and not Core.Files.CurationFileException ? ExitCodes.UsageOrConfig : ExitCodes.RunFailed;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A bug, not a user's mistake: say so, with the stack trace under --verbose.
            await error.WriteLineAsync($"curate: unexpected error: {ex.GetType().Name}: {ex.Message}");
            if (args.Contains("--verbose"))
            {
                await error.WriteLineAsync(ex.ToString());
            }

            return ExitCodes.RunFailed;
        }
    }
}
