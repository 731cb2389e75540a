using System.Threading.Channels;
using Curation.Core.Records;

namespace Curation.Core.Stages;

/// <summary>
/// A stateful stage that sees the whole stream (dedup, review decisions). It reads batches in input order and
/// must write every envelope it reads, kept or rejected, in the same order, then complete nothing: the runtime
/// completes the output channel.
/// </summary>
public interface IStreamStage : IStage
{
    /// <summary>
    /// Whether the records this stage passes on are copies it stored and read back (a spill file) rather than the
    /// instances it read. A run with such a stage does not keep input lines for copying (<see cref="Records.VerbatimLine"/>):
    /// the copies would not have them.
    /// </summary>
    bool PassesOnStoredCopies => false;

    Task RunAsync(
        ChannelReader<Envelope[]> input,
        ChannelWriter<Envelope[]> output,
        StageContext context,
        CancellationToken cancellationToken);
}
