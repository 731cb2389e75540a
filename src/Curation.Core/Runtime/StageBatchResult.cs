using Curation.Core.Records;

namespace Curation.Core.Runtime;

/// <summary>One batch after a per-record stage, with the counts its worker took (no shared counters on the hot path).</summary>
internal readonly record struct StageBatchResult(Envelope[] Envelopes, int Input, TimeSpan Busy);
