using Curation.Core.Files;
using Curation.Core.Records;
using Curation.Core.Stages;
using Curation.IO.Formats;
using Curation.IO.Inputs;

namespace Curation.Pipeline;

/// <summary>
/// Decodes each item with the decoder of the <c>inputs:</c> entry its file came from, so that every entry keeps its
/// own format and field mapping.
/// </summary>
internal sealed class InputRoutingDecoder : IRecordDecoder
{
    private readonly Dictionary<string, RecordDecoder> _byFile = new(StringComparer.Ordinal);

    /// <param name="inputs">The run's input entries.</param>
    /// <param name="keepVerbatimLines">Whether records keep their input line where it is already the output's (<see cref="VerbatimLines"/>).</param>
    public InputRoutingDecoder(IEnumerable<ResolvedInput> inputs, bool keepVerbatimLines)
    {
        foreach (var input in inputs)
        {
            var decoder = new RecordDecoder(input.Options, keepVerbatimLines);
            foreach (var file in input.Files)
            {
                _byFile[DisplayPath.For(file)] = decoder;
            }
        }
    }

    public Envelope Decode(in RawItem item, long sequence) =>
        _byFile.TryGetValue(item.Source.File, out var decoder)
            ? decoder.Decode(item, sequence)
            : throw new InvalidOperationException($"{item.Source}: the file belongs to no input entry");
}
