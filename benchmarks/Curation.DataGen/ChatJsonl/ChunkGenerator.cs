using System.Buffers;
using System.Globalization;
using Curation.DataGen.Model;
using Curation.DataGen.Text;

namespace Curation.DataGen.ChatJsonl;

/// <summary>
/// Produces one chunk of the benchmark file. A chunk depends only on the seed and its index, so chunks can be made in
/// parallel and the file is the same whatever the thread count.
/// </summary>
internal static class ChunkGenerator
{
    public const int RecordsPerChunk = 2048;

    /// <summary>Writes the chunk's records, one JSON object per line, and returns the end offset of each line.</summary>
    public static int[] Generate(long chunkIndex, ulong seed, int averageBytes, ArrayBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var rng = DeterministicRandom.ForStream(seed, chunkIndex);
        var mix = new ChatMix(rng);
        var json = new JsonLineBuilder(output);
        var lineEnds = new int[RecordsPerChunk];
        var turns = new List<Turn>(16);
        var start = output.WrittenCount;
        for (var i = 0; i < RecordsPerChunk; i++)
        {
            var conversation = mix.Next(rng);
            turns.Clear();
            turns.AddRange(conversation.ChatTurns());

            // Grow records while the chunk's running average is below target: extra exchanges from other kinds of
            // example, as happens when a user changes the subject.
            var budget = (long)averageBytes * (i + 1) - (output.WrittenCount - start);
            while (Estimate(turns) < budget && turns.Count < 16)
            {
                turns.AddRange(mix.Next(rng).Turns);
            }

            json.Raw("{\"id\":\"chat-"u8);
            var id = output.GetSpan(20);
            (chunkIndex * RecordsPerChunk + i).TryFormat(id, out var digits, "D9", CultureInfo.InvariantCulture);
            output.Advance(digits);
            json.Raw("\",\"messages\":["u8);
            for (var t = 0; t < turns.Count; t++)
            {
                var turn = turns[t];
                json.Raw(t == 0 ? "{\"role\":"u8 : ",{\"role\":"u8);
                json.String(turn.Role);
                json.Raw(",\"content\":"u8);
                json.String(turn.Content);
                if (turn.Weight is { } weight)
                {
                    json.Raw(weight == 0 ? ",\"weight\":0"u8 : ",\"weight\":1"u8);
                }

                json.Byte((byte)'}');
            }

            json.Raw("]}\n"u8);
            lineEnds[i] = output.WrittenCount - start;
        }

        return lineEnds;
    }

    private static long Estimate(List<Turn> turns)
    {
        long bytes = 40;
        foreach (var turn in turns)
        {
            bytes += turn.Content.Length + 40;
        }

        return bytes;
    }
}
