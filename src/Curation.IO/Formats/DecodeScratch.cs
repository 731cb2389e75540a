using System.Text;
using Curation.Core.Records;

namespace Curation.IO.Formats;

/// <summary>Per-thread buffers for decoding, so that a record costs only the objects it is made of.</summary>
internal sealed class DecodeScratch
{
    [ThreadStatic]
    private static DecodeScratch? t_current;

    public static DecodeScratch Current => t_current ??= new DecodeScratch();

    private DecodeScratch()
    {
        Scan = new TopLevelScan(Messages, Text);
    }

    public TopLevelScan Scan { get; }

    public List<Message> Messages { get; } = [];

    public StringBuilder Text { get; } = new();
}
