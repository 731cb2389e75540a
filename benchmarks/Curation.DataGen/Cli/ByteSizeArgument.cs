using Curation.Core.Units;

namespace Curation.DataGen.Cli;

internal static class ByteSizeArgument
{
    public static long Parse(string text) => ByteSize.TryParse(text, out var bytes)
        ? bytes
        : throw new UsageException($"invalid size '{text}' (examples: {ByteSize.Examples})");
}
