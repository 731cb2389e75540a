using System.Text.Json;
using Curation.IO.Inputs;
using Curation.Classifier;
using Curation.Core;

namespace Curation.Cli.Commands.Classifier;

/// <summary>Reads labelled records for training: any input format, the label in a top-level field kept as metadata.</summary>
internal static class LabelledRecords
{
    private static readonly HashSet<string> KeepWords = new(["keep", "accept", "accepted", "good", "yes", "true", "1", "pass"], StringComparer.OrdinalIgnoreCase);
    private static readonly HashSet<string> DropWords = new(["drop", "reject", "rejected", "bad", "no", "false", "0", "fail"], StringComparer.OrdinalIgnoreCase);

    /// <exception cref="CurationException">A record cannot be decoded, or has no label or one that is not keep/drop.</exception>
    public static async Task<List<QualityExample>> ReadAsync(IEnumerable<string> inputs, string labelField, CancellationToken cancellationToken)
    {
        var examples = new List<QualityExample>();
        foreach (var record in await ChatRecordFiles.ReadAsync(inputs, cancellationToken))
        {
            if (!record.Metadata.TryGetValue(labelField, out var label))
            {
                throw new CurationException($"{record.Source}: field '{labelField}' is missing; expected keep or drop (or true/false, 1/0, accept/reject)");
            }

            examples.Add(new QualityExample { Text = ClassifierText.Of(record), Label = Parse(label, labelField, record.Source.ToString()) });
        }

        return examples;
    }

    private static bool Parse(JsonElement label, string field, string source)
    {
        var text = label.ValueKind switch
        {
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Number or JsonValueKind.String => label.ToString(),
            _ => string.Empty,
        };
        return KeepWords.Contains(text) ? true
            : DropWords.Contains(text) ? false
            : throw new CurationException($"{source}: field '{field}' is {label.GetRawText()}; expected keep or drop (or true/false, 1/0, accept/reject)");
    }
}
