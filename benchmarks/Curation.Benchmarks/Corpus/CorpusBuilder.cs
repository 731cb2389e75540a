using System.Buffers;
using System.Globalization;
using System.Text;
using Curation.DataGen.ChatJsonl;
using Curation.DataGen.Model;
using Curation.DataGen.Text;

namespace Curation.Benchmarks.Corpus;

/// <summary>
/// Writes a corpus of chat records in one shape. Conversations come from the data generator's benchmark mix and grow
/// to about <see cref="AverageRecordBytes"/> a line, as in <c>curation-datagen chat-jsonl</c>. The conversations
/// depend only on the seed, so every shape, clean or dirty, holds the same conversations; an ASCII-only corpus skips
/// those with any other character (about a quarter: names, currency signs, math symbols).
/// </summary>
internal static class CorpusBuilder
{
    public const int AverageRecordBytes = 1500;

    private const int MaxTurns = 16;

    public static JsonlCorpus Build(CorpusShape shape, bool asciiOnly, bool dirty, int targetBytes, ulong seed)
    {
        var rng = DeterministicRandom.ForStream(seed, "conversations");
        var mix = new ChatMix(rng);
        var dirt = dirty ? new Dirt(DeterministicRandom.ForStream(seed, "dirt")) : null;
        var output = new ArrayBufferWriter<byte>(targetBytes + (256 << 10));
        var json = new JsonLineBuilder(output);
        var lineEnds = new List<int>();
        var turns = new List<Turn>(MaxTurns);
        var made = 0;
        while (output.WrittenCount < targetBytes)
        {
            turns.Clear();
            turns.AddRange(mix.Next(rng).ChatTurns());
            var budget = (long)AverageRecordBytes * (lineEnds.Count + 1) - output.WrittenCount;
            while (Estimate(turns) < budget && turns.Count < MaxTurns)
            {
                turns.AddRange(mix.Next(rng).Turns);
            }

            if (asciiOnly && !turns.TrueForAll(turn => Ascii.IsValid(turn.Content)))
            {
                continue;
            }

            if (dirt is not null)
            {
                for (var i = 0; i < turns.Count; i++)
                {
                    turns[i] = turns[i] with { Content = dirt.Apply(turns[i].Content) };
                }
            }

            var id = "chat-" + made.ToString("D9", CultureInfo.InvariantCulture);
            made++;
            var written = shape switch
            {
                CorpusShape.OpenAi => WriteOpenAi(json, id, turns),
                CorpusShape.ShareGpt => WriteShareGpt(json, id, turns),
                _ => WriteAlpaca(json, id, turns),
            };
            if (written)
            {
                json.Byte((byte)'\n');
                lineEnds.Add(output.WrittenCount);
            }
        }

        var name = $"{shape.ToString().ToLowerInvariant()}{(asciiOnly ? "-ascii" : string.Empty)}{(dirty ? "-dirty" : string.Empty)}.jsonl";
        return new JsonlCorpus(name, output.WrittenSpan.ToArray(), lineEnds);
    }

    private static bool WriteOpenAi(JsonLineBuilder json, string id, List<Turn> turns)
    {
        json.Raw("{\"id\":"u8);
        json.String(id);
        json.Raw(",\"messages\":["u8);
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

        json.Raw("]}"u8);
        return true;
    }

    private static bool WriteShareGpt(JsonLineBuilder json, string id, List<Turn> turns)
    {
        json.Raw("{\"id\":"u8);
        json.String(id);
        json.Raw(",\"conversations\":["u8);
        for (var t = 0; t < turns.Count; t++)
        {
            var turn = turns[t];
            json.Raw(t == 0 ? "{\"from\":"u8 : ",{\"from\":"u8);
            json.String(turn.Role switch
            {
                Roles.User => "human",
                Roles.Assistant => "gpt",
                _ => turn.Role,
            });
            json.Raw(",\"value\":"u8);
            json.String(turn.Content);
            json.Byte((byte)'}');
        }

        json.Raw("]}"u8);
        return true;
    }

    /// <summary>An optional system prompt, earlier exchanges as history, the last one as instruction and output.</summary>
    private static bool WriteAlpaca(JsonLineBuilder json, string id, List<Turn> turns)
    {
        var start = turns.Count > 0 && turns[0].Role == Roles.System ? 1 : 0;
        var pairs = turns.Count - start;
        if (pairs < 2 || pairs % 2 != 0)
        {
            return false;
        }

        for (var i = start; i < turns.Count; i++)
        {
            if (turns[i].Role != ((i - start) % 2 == 0 ? Roles.User : Roles.Assistant))
            {
                return false;
            }
        }

        json.Raw("{\"id\":"u8);
        json.String(id);
        if (start == 1)
        {
            json.Raw(",\"system\":"u8);
            json.String(turns[0].Content);
        }

        if (pairs > 2)
        {
            json.Raw(",\"history\":["u8);
            for (var i = start; i < turns.Count - 2; i += 2)
            {
                json.Raw(i == start ? "["u8 : ",["u8);
                json.String(turns[i].Content);
                json.Byte((byte)',');
                json.String(turns[i + 1].Content);
                json.Byte((byte)']');
            }

            json.Byte((byte)']');
        }

        json.Raw(",\"instruction\":"u8);
        json.String(turns[^2].Content);
        json.Raw(",\"input\":\"\",\"output\":"u8);
        json.String(turns[^1].Content);
        json.Byte((byte)'}');
        return true;
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
