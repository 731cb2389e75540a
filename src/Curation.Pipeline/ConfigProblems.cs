using Curation.Core.Config;

namespace Curation.Pipeline;

/// <summary>
/// Every problem found in one pipeline file: those of binding first, then those the later checks add, each at the
/// position of the setting it is about, so that one <see cref="ConfigException"/> reports them all in file order.
/// </summary>
internal sealed class ConfigProblems(PipelineDefinition definition, IEnumerable<ConfigError> bindingErrors, IReadOnlyDictionary<string, string>? optionNames = null)
{
    private readonly List<ConfigError> _errors = [.. bindingErrors];

    /// <summary>The list that checks outside this assembly (stage factories) add to.</summary>
    public List<ConfigError> Errors => _errors;

    /// <summary>Adds a problem at the setting <paramref name="key"/> (see <see cref="PipelineDefinition.Locations"/>); null: the file alone.</summary>
    public void At(string? key, string message) => _errors.Add(definition.ErrorAt(key, message));

    /// <summary>Adds a problem at <paramref name="position"/>.</summary>
    public void At(ConfigPosition position, string message) => _errors.Add(new ConfigError(definition.File, position.Line, position.Column, message));

    /// <exception cref="ConfigException">There is at least one problem.</exception>
    public void ThrowIfAny()
    {
        if (_errors.Count > 0)
        {
            throw new ConfigException(optionNames is null ? _errors : _errors.Select(AsOptionError));
        }
    }

    // A pipeline a command wrote from its options has no file the user could open: name the options, not positions.
    private ConfigError AsOptionError(ConfigError error) =>
        new(error.File, 0, 0, OptionNames.Rename(error.Message, optionNames!));
}
