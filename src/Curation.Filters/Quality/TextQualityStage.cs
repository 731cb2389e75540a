using Curation.Core.Records;

namespace Curation.Filters.Quality;

/// <summary>A quality stage whose rules read one text: the target turns joined by blank lines.</summary>
internal abstract class TextQualityStage(string name, QualityTarget target, IEnumerable<string> disabled) : QualityStage(name, disabled)
{
    protected sealed override RuleFailure? FirstFailure(ChatRecord record) => FirstFailure(QualityText.Of(record, target));

    /// <summary>The first enabled rule that <paramref name="text"/> fails; null when it passes them all.</summary>
    protected abstract RuleFailure? FirstFailure(ReadOnlySpan<char> text);
}
