namespace Curation.Evaluation.Runs;

/// <param name="UseCache">Look answers up in the cache (<c>--no-cache</c> turns it off: every call is made, nothing is stored).</param>
/// <param name="Refresh">Make every call again and overwrite what the cache held (<c>--refresh</c>).</param>
/// <param name="ExtraGates">Gates from the command line, checked with the eval file's own.</param>
internal sealed record EvalRunOptions(bool UseCache = true, bool Refresh = false, IReadOnlyList<string>? ExtraGates = null);
