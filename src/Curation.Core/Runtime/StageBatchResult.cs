using Curation.Core.Records;

namespace Curation.Core.Runtime;

/// <summary>One batch after a per-record stage, with the counts its worker took (no shared counters on the hot path).</summary>
/// <remarks>
/// A class, as every batch result passed through <see cref="OrderedParallel"/> is: all of them then share one compiled
/// body of its methods, where each value type would get its own, compiled (optimised, as they loop) at start-up.
/// </remarks>
internal sealed record StageBatchResult(Envelope[] Envelopes, int Input, TimeSpan Busy);
