using Curation.Core.Config;

namespace Curation.IO.Inputs;

/// <summary>One <c>inputs:</c> entry and the files it matched, as full paths in read order.</summary>
public sealed record ResolvedInput(InputOptions Options, IReadOnlyList<string> Files);
