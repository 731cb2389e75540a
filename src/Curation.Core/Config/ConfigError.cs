namespace Curation.Core.Config;

/// <summary>One problem in a pipeline file, with where it is.</summary>
public sealed record ConfigError(string File, int Line, int Column, string Message)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}: {Message}" : $"{File}: {Message}";
}

/// <summary>Where a value stands in a pipeline file (1-based).</summary>
public readonly record struct ConfigPosition(int Line, int Column);

/// <summary>Every problem found in a pipeline file, one per line of <see cref="Exception.Message"/>, in file order.</summary>
public sealed class ConfigException : CurationException
{
    public ConfigException(IEnumerable<ConfigError> errors)
        : this(InFileOrder(errors))
    {
    }

    private ConfigException(IReadOnlyList<ConfigError> errors)
        : base(string.Join(Environment.NewLine, errors))
    {
        Errors = errors;
    }

    public ConfigException()
        : this(Enumerable.Empty<ConfigError>())
    {
    }

    public ConfigException(string message)
        : base(message)
    {
        Errors = [new ConfigError(string.Empty, 0, 0, message)];
    }

    public ConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [new ConfigError(string.Empty, 0, 0, message)];
    }

    public IReadOnlyList<ConfigError> Errors { get; } = [];

    // Problems without a position (a setting given on the command line) come after those in the file.
    private static ConfigError[] InFileOrder(IEnumerable<ConfigError> errors) =>
        [.. errors.OrderBy(error => error.Line > 0 ? 0 : 1).ThenBy(error => error.Line).ThenBy(error => error.Column)];
}
