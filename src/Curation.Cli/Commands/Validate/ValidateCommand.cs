using System.CommandLine;
using Curation.Core;
using Curation.Pipeline;

namespace Curation.Cli.Commands.Validate;

/// <summary><c>curate validate PIPELINE.yaml</c>: checks a pipeline file and its inputs without reading any data.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var pipeline = new Argument<string>("pipeline") { Description = "The pipeline file to check." };
        var command = new Command("validate", "Check a pipeline file: every stage, parameter and type, that its inputs exist, and that no output would overwrite an input or another output. Reads no data.")
        {
            pipeline,
            CommonOptions.Output,
        };
        command.SetAction(async (parseResult, _) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            try
            {
                var prepared = PipelineFactory.Prepare(parseResult.GetRequiredValue(pipeline), StageCatalog.Create(), parseResult.GetValue(CommonOptions.Output), seedOverride: null);
                var definition = prepared.Definition;
                await output.WriteLineAsync($"{definition.File}: ok");
                await output.WriteLineAsync($"  inputs:  {prepared.InputFiles} files");
                await output.WriteLineAsync($"  stages:  {string.Join(" -> ", prepared.Steps.Select(s => s.Stage.Name).Prepend("read").Append("write"))}");
                await output.WriteLineAsync($"  output:  {prepared.OutputDirectory} ({Core.Config.ConfigNames.ForEnumValue(definition.Output.Format)})");
                foreach (var planned in prepared.Outputs)
                {
                    await output.WriteLineAsync($"  writes:  {Core.Files.DisplayPath.For(planned.Path)}{(planned.IsFolder ? "/" : string.Empty)} ({planned.Role}, {planned.Setting})");
                }

                await output.WriteLineAsync($"  seed:    {definition.Seed}");
                await output.WriteLineAsync($"  config sha256: {definition.Hash}");
                return ExitCodes.Ok;
            }
            catch (CurationException ex)
            {
                await error.WriteLineAsync(ex.Message);
                return ExitCodes.UsageOrConfig;
            }
        });
        return command;
    }
}
