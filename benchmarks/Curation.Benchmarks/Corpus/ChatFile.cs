using System.Buffers;
using Curation.DataGen.ChatJsonl;

namespace Curation.Benchmarks.Corpus;

/// <summary>
/// The large reader input: the same bytes as the first <see cref="TargetBytes"/> of
/// <c>curation-datagen chat-jsonl --seed 1</c>, which the end-to-end benchmark reads.
/// </summary>
internal static class ChatFile
{
    public const long TargetBytes = 50_000_000;

    private const ulong Seed = 1;

    /// <summary>
    /// Generates the file into each destination and returns its size: whole lines, stopping after the first that
    /// reaches <see cref="TargetBytes"/>. With no destination it only measures.
    /// </summary>
    public static long Write(params ReadOnlySpan<Stream> destinations)
    {
        var buffer = new ArrayBufferWriter<byte>(8 << 20);
        long written = 0;
        for (long chunk = 0; written < TargetBytes; chunk++)
        {
            buffer.ResetWrittenCount();
            var lineEnds = ChunkGenerator.Generate(chunk, Seed, CorpusBuilder.AverageRecordBytes, buffer);
            var take = buffer.WrittenCount;
            var remaining = TargetBytes - written;
            if (take > remaining)
            {
                take = lineEnds[Array.FindIndex(lineEnds, end => end >= remaining)];
            }

            foreach (var destination in destinations)
            {
                destination.Write(buffer.WrittenSpan[..take]);
            }

            written += take;
        }

        return written;
    }
}
