using System.CommandLine;
using Curation.Pipeline;
using Curation.Core.Config;

namespace Curation.Cli.Commands.Stages;

/// <summary><c>curate stages [kind]</c>: every stage kind a pipeline may name, with its parameters, defaults and reject rules.</summary>
internal static class StagesCommand
{
    private const string ParameterHeading = "parameter";

    public static Command Create()
    {
        var kind = new Argument<string?>("kind") { Description = "Show only this stage kind.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("stages", "List the stage kinds a pipeline may name: what each does, its parameters with their defaults, and the reject rules it may write.")
        {
            kind,
        };
        command.SetAction(async (parseResult, _) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var stages = StageListing.Describe(StageCatalog.Create());
            if (parseResult.GetValue(kind) is { } wanted)
            {
                stages = [.. stages.Where(stage => stage.Kind == wanted)];
                if (stages.Count == 0)
                {
                    var kinds = string.Join(", ", StageListing.Describe(StageCatalog.Create()).Select(stage => stage.Kind));
                    await parseResult.InvocationConfiguration.Error.WriteLineAsync($"curate: unknown stage '{wanted}'; valid stages: {kinds}");
                    return ExitCodes.UsageOrConfig;
                }
            }

            await output.WriteLineAsync($"Every stage also takes: {string.Join(", ", PipelineLoader.CommonStageKeys.Order(StringComparer.Ordinal))}.");
            foreach (var stage in stages)
            {
                await output.WriteLineAsync();
                await output.WriteLineAsync($"{stage.Kind}: {stage.Description}");
                var width = stage.Options.Select(option => option.Name.Length).Append(ParameterHeading.Length).Max();
                await output.WriteLineAsync($"  {ParameterHeading.PadRight(width)}  default");
                foreach (var option in stage.Options)
                {
                    await output.WriteLineAsync($"  {option.Name.PadRight(width)}  {option.Default}");
                }

                await output.WriteLineAsync($"  reject rules: {(stage.Rules.Count == 0 ? "none (rejects nothing)" : string.Join(", ", stage.Rules))}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
