using System.CommandLine;
using Curation.Core;
using Curation.Core.Config;
using Curation.Core.Records;

namespace Curation.Cli.Commands.Inspect;

/// <summary><c>curate inspect FILE</c>: what a file holds, before a pipeline is written for it.</summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "A JSONL (.gz, .zst), JSON array, Parquet, CSV or TSV file." };
        var format = new Option<string>("--format")
        {
            Description = "Record shape; auto detects it per record.",
            DefaultValueFactory = _ => ConfigNames.ForEnumValue(InputFormat.Auto),
        };
        format.AcceptOnlyFromAmong([.. Enum.GetValues<InputFormat>().Select(value => ConfigNames.ForEnumValue(value))]);
        var fields = new Option<string[]>("--field")
        {
            Description = "Field mapping NAME=KEY, e.g. --field prompt=question --field response=answer. Repeatable.",
            AllowMultipleArgumentsPerToken = false,
        };
        var delimiter = new Option<string?>("--delimiter") { Description = "CSV cell delimiter (default: comma, or tab for .tsv)." };
        var examples = new Option<int>("--examples")
        {
            Description = "How many rejected items to show per rule.",
            DefaultValueFactory = _ => 3,
        };
        var command = new Command("inspect", "Show a file's detected formats, record and reject counts, turns and roles, and a length histogram.")
        {
            file,
            format,
            fields,
            delimiter,
            examples,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            return await CommandErrors.ReportAsync(error, async () =>
            {
                var options = new InputOptions
                {
                    Path = parseResult.GetRequiredValue(file),
                    Format = Enum.GetValues<InputFormat>().First(value => ConfigNames.ForEnumValue(value) == parseResult.GetValue(format)),
                    Fields = ParseFields(parseResult.GetValue(fields) ?? []),
                    Delimiter = parseResult.GetValue(delimiter),
                };
                var inspection = await FileInspection.RunAsync(options, cancellationToken);
                await output.WriteAsync(InspectionReport.Format(inspection, Math.Max(0, parseResult.GetValue(examples))));
                return ExitCodes.Ok;
            });
        });
        return command;
    }

    private static Dictionary<string, string> ParseFields(IEnumerable<string> pairs)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || equals == pair.Length - 1)
            {
                throw new CurationException($"--field '{pair}': expected NAME=KEY, e.g. prompt=question");
            }

            fields[pair[..equals]] = pair[(equals + 1)..];
        }

        return fields;
    }
}
