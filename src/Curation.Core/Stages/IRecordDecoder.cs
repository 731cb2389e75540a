using Curation.Core.Records;

namespace Curation.Core.Stages;

/// <summary>Turns one raw input item into a record or a reject. Pure and thread-safe.</summary>
public interface IRecordDecoder
{
    Envelope Decode(in RawItem item, long sequence);
}
