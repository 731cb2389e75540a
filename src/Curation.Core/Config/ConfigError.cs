namespace Curation.Core.Config;

/// <summary>One problem in a pipeline file, with where it is.</summary>
public sealed record ConfigError(string File, int Line, int Column, string Message)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}: {Message}" : $"{File}: {Message}";
}

/// <summary>Where a value stands in a pipeline file (1-based).</summary>
public readonly record struct ConfigPosition(int Line, int Column);

/// <summary>Every problem found in a pipeline file, one per line of <see cref="Exception.Message"/>.</summary>
public sealed class ConfigException : CurationException
{
    public ConfigException(IReadOnlyList<ConfigError> errors)
        : base(string.Join(Environment.NewLine, errors))
    {
        Errors = errors;
    }

    public ConfigException()
        : this([])
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
}
