using Curation.Core.Config;

namespace Curation.IO.Inputs;

/// <summary>One <c>inputs:</c> entry and the files it matched, as full paths in read order.</summary>
public sealed record ResolvedInput(InputOptions Options, IReadOnlyList<string> Files)
{
    /// <summary>
    /// What the entry reached but leaves out, sorted by path: outputs of earlier curate runs, a file reached a second
    /// time through a link, a link back into a folder being read. Worth printing, so nothing is left out unseen.
    /// </summary>
    public IReadOnlyList<SkippedFile> Skipped { get; init; } = [];

    /// <summary>Which <c>inputs:</c> entry this is, counted from 1 (as <c>inputs[N]</c> in messages); 0 when resolved alone.</summary>
    public int Entry { get; init; }
}
