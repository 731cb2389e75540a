using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Curation.DataGen.ChatJsonl;
using Curation.DataGen.Model;
using Curation.DataGen.Text;

namespace Curation.DataGen.Labelled;

/// <summary>
/// A labelled set for the quality classifier: real generated conversations marked <c>keep</c>, and the failures a
/// reviewer marks <c>drop</c>, each made from a real conversation: an answer to another question, a refusal, a
/// one-line brush-off, a truncated answer, a looping answer. OpenAI messages JSONL with a top-level <c>label</c>.
/// </summary>
internal static class LabelledQualityWriter
{
    private static readonly string[] Refusals =
    [
        "I'm sorry, but I can't help with that request.",
        "As an AI language model, I cannot provide that information.",
        "I cannot assist with this. Please consult a professional.",
    ];

    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly string[] BrushOffs = ["Just google it.", "Not sure, try again later.", "It depends.", "See the docs.", "idk"];

    public static string Write(string path, int records, ulong seed)
    {
        var rng = DeterministicRandom.ForStream(seed, "labelled-quality");
        var mix = new ChatMix(rng);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        var lines = new StringBuilder();
        var keep = 0;
        Conversation? previous = null;
        for (var i = 0; i < records; i++)
        {
            var conversation = mix.Next(rng);
            var turns = conversation.ChatTurns().ToList();
            var answer = turns.FindLastIndex(turn => turn.Role == Roles.Assistant);
            var label = "keep";
            if (answer >= 0 && rng.Chance(0.5))
            {
                label = "drop";
                var original = turns[answer].Content;
                var replacement = rng.Next(5) switch
                {
                    0 when previous is not null => previous.ChatTurns().Last(turn => turn.Role == Roles.Assistant).Content,
                    1 => rng.Pick(Refusals),
                    2 => rng.Pick(BrushOffs),
                    3 => original[..Math.Max(1, original.Length / 5)],
                    _ => string.Join(' ', Enumerable.Repeat(original[..Math.Min(original.Length, 60)], 6)),
                };
                turns[answer] = turns[answer] with { Content = replacement };
            }
            else
            {
                keep++;
            }

            previous = conversation;
            lines.Append(JsonSerializer.Serialize(
                new
                {
                    id = $"labelled-{i:D4}",
                    messages = turns.Select(turn => new { role = turn.Role, content = turn.Content }),
                    label,
                },
                Json)).Append('\n');
        }

        File.WriteAllText(path, lines.ToString(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return $"{path}: {records} records, {keep} keep, {records - keep} drop";
    }
}
