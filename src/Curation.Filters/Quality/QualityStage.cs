using System.Globalization;
using Curation.Core.Records;
using Curation.Core.Stages;

namespace Curation.Filters.Quality;

/// <summary>
/// A stage of named text rules: each rule either passes the text or names what it measured against its limit. The
/// first failing rule rejects the record under its name; rules listed in <c>disable</c> are skipped.
/// </summary>
public abstract class QualityStage : IRecordStage
{
    private readonly QualityTarget _target;
    private readonly HashSet<string> _disabled;

    protected QualityStage(string name, QualityTarget target, IEnumerable<string> disabled)
    {
        Name = name;
        _target = target;
        _disabled = disabled.ToHashSet(StringComparer.Ordinal);
    }

    public string Name { get; }

    /// <summary>Every rule this stage can apply, for validating <c>disable</c> lists and for the docs.</summary>
    public abstract IReadOnlyList<string> Rules { get; }

    public StageResult Apply(ChatRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var text = QualityText.Of(record, _target);
        foreach (var (rule, detail) in Check(record, text))
        {
            if (!_disabled.Contains(rule))
            {
                return StageResult.Drop(rule, detail);
            }
        }

        return StageResult.Keep(record);
    }

    /// <summary>The rules that fail, in order (lazily: the first one enabled decides).</summary>
    protected abstract IEnumerable<(string Rule, string Detail)> Check(ChatRecord record, string text);

    protected static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
