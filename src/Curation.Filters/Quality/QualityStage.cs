using System.Globalization;
using Curation.Core.Records;
using Curation.Core.Stages;

namespace Curation.Filters.Quality;

/// <summary>
/// A stage of named text rules: each rule either passes the record or names what it measured against its limit. The
/// first failing rule that is enabled rejects the record under its name; rules listed in <c>disable</c> are skipped.
/// </summary>
internal abstract class QualityStage : IRecordStage
{
    private readonly HashSet<string> _disabled;

    protected QualityStage(string name, IEnumerable<string> disabled)
    {
        Name = name;
        _disabled = disabled.ToHashSet(StringComparer.Ordinal);
    }

    public string Name { get; }

    /// <summary>Every rule this stage can apply, for validating <c>disable</c> lists and for the docs.</summary>
    public abstract IReadOnlyList<string> Rules { get; }

    public StageResult Apply(ChatRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return FirstFailure(record) is { } failure ? StageResult.Drop(failure.Rule, failure.Detail) : StageResult.Keep(record);
    }

    /// <summary>The first enabled rule, in the stage's order, that the record fails; null when it passes them all.</summary>
    protected abstract RuleFailure? FirstFailure(ChatRecord record);

    protected bool Enabled(string rule) => _disabled.Count == 0 || !_disabled.Contains(rule);

    protected static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
