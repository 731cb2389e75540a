using System.Globalization;
using System.IO.Hashing;
using System.Text;
using Curation.Core;
using Curation.Core.Records;
using Curation.Tokenization.ChatTemplates;

namespace Curation.Training.Data;

/// <summary>How the records became training examples.</summary>
public sealed record TrainingDataReport(int Records, int Train, int Validation, int TooLongDropped, int Truncated, int NothingSupervised, int Unrenderable, int Sequences)
{
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Records} conversations: {Train} for training, {Validation} for validation; left out: {TooLongDropped} too long, {NothingSupervised} with nothing to learn, {Unrenderable} the template cannot render; {Truncated} truncated; {Sequences} training sequences");
}

/// <summary>
/// Turns chat records into training and validation examples: a seeded split by record id (the same record is always
/// on the same side, whatever the order or the other records), the length policy, and optional packing.
/// </summary>
public static class TrainingData
{
    public static (IReadOnlyList<TrainingExample> Train, IReadOnlyList<TrainingExample> Validation, TrainingDataReport Report) Build(
        IEnumerable<ChatRecord> records, ChatExampleEncoder encoder, int maxLength, Truncation truncation, double validationFraction, long seed, bool pack)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(encoder);
        var train = new List<TrainingExample>();
        var validation = new List<TrainingExample>();
        int count = 0, tooLong = 0, truncated = 0, nothing = 0, unrenderable = 0;
        foreach (var record in records)
        {
            count++;
            TrainingExample example;
            try
            {
                example = encoder.Encode(record.Messages);
            }
            catch (ChatTemplateException)
            {
                unrenderable++;
                continue;
            }

            if (example.Length > maxLength)
            {
                if (truncation == Truncation.Drop)
                {
                    tooLong++;
                    continue;
                }

                example = new TrainingExample(example.Ids[..maxLength], example.Supervised[..maxLength]);
                truncated++;
            }

            if (example.SupervisedTokens == 0)
            {
                nothing++;
                continue;
            }

            (IsValidation(record.Id, seed, validationFraction) ? validation : train).Add(example);
        }

        if (train.Count == 0)
        {
            throw new CurationException($"no training examples: {count} conversations, {tooLong} too long for {maxLength} tokens, {nothing} with nothing to learn, {unrenderable} the chat template cannot render");
        }

        var sequences = pack ? SequencePacker.Pack(train, maxLength) : train;
        return (sequences, validation, new TrainingDataReport(count, train.Count, validation.Count, tooLong, truncated, nothing, unrenderable, sequences.Count));
    }

    /// <summary>A record is in the validation split when a hash of seed and id falls under the fraction.</summary>
    public static bool IsValidation(string id, long seed, double fraction) =>
        fraction > 0 && XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(id), seed) < (ulong)(fraction * ulong.MaxValue);
}
