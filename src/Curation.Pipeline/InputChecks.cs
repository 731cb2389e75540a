using Curation.Core;
using Curation.Core.Config;
using Curation.IO.Formats;
using Curation.IO.Inputs;
using Curation.IO.Readers;

namespace Curation.Pipeline;

/// <summary>The checks of <c>inputs:</c> entries that binding cannot make: field mappings, delimiters, and that each entry names files, each read once.</summary>
internal static class InputChecks
{
    /// <summary>Resolves the entries that bound without problems to their files, adding each entry's problems at its position.</summary>
    public static IReadOnlyList<ResolvedInput> Resolve(PipelineBinding binding, ConfigProblems problems)
    {
        var definition = binding.Definition;
        for (var index = 0; index < definition.Inputs.Count; index++)
        {
            if (!binding.FaultyInputs.Contains(index))
            {
                CheckSettings(definition.Inputs[index], $"inputs[{index + 1}]", problems);
            }
        }

        return InputResolver.ResolveEach(
            definition.Inputs,
            definition.BaseDirectory,
            (index, exception) => problems.At($"inputs[{index + 1}]", $"inputs[{index + 1}]: {exception.Message}"),
            binding.FaultyInputs);
    }

    private static void CheckSettings(InputOptions input, string entry, ConfigProblems problems)
    {
        try
        {
            _ = new RecordDecoder(input);
        }
        catch (CurationException exception)
        {
            problems.At($"{entry}.fields", $"{entry}: parameter 'fields': {exception.Message}");
        }

        if (input.Delimiter is { } delimiter && CsvDelimiter.Problem(delimiter) is { } problem)
        {
            problems.At($"{entry}.delimiter", $"{entry}: parameter 'delimiter': {problem}");
        }
    }
}
