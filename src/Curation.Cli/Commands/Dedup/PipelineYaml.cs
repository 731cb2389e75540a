using System.Globalization;
using System.Text;

namespace Curation.Cli.Commands.Dedup;

/// <summary>
/// Writes the pipeline YAML a command line stands for, so that commands share the pipeline loader's checks and
/// error messages, and the manifest records the pipeline as if it had been a file.
/// </summary>
internal sealed class PipelineYaml(string name)
{
    private readonly StringBuilder _inputs = new();
    private readonly StringBuilder _stages = new();
    private string _output = string.Empty;

    public PipelineYaml Inputs(IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            _inputs.Append("  - ").AppendLine(Quote(path));
        }

        return this;
    }

    /// <summary>A stage with the parameters that have a value; a null kind adds nothing.</summary>
    public PipelineYaml Stage(string? kind, IReadOnlyList<(string Key, string? Value)> parameters)
    {
        if (kind is null)
        {
            return this;
        }

        var set = parameters.Where(p => p.Value is not null).ToList();
        _stages.Append("  - ").Append(kind);
        if (set.Count > 0)
        {
            _stages.Append(": { ").Append(string.Join(", ", set.Select(p => $"{p.Key}: {p.Value}"))).Append(" }");
        }

        _stages.AppendLine();
        return this;
    }

    public PipelineYaml Output(string directory, string? rejects = null)
    {
        _output = Quote(directory) + (rejects is null ? string.Empty : "\n  rejects: " + Quote(rejects));
        return this;
    }

    public override string ToString() =>
        $"name: {name}\ninputs:\n{_inputs}stages:\n{_stages}output:\n  dir: {_output}\n";

    public static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
