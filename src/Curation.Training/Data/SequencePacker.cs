namespace Curation.Training.Data;

/// <summary>
/// Packs short examples end to end into sequences of at most the maximum length, in the order given (first fit), so
/// fewer positions are padding. The first token of each packed example is never a target, so no example learns to
/// predict across the boundary; attention does see the earlier examples of the sequence (naive packing).
/// </summary>
public static class SequencePacker
{
    public static IReadOnlyList<TrainingExample> Pack(IReadOnlyList<TrainingExample> examples, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var packed = new List<TrainingExample>();
        var ids = new List<int>(maxLength);
        var supervised = new List<bool>(maxLength);
        foreach (var example in examples)
        {
            if (ids.Count > 0 && ids.Count + example.Length > maxLength)
            {
                packed.Add(new TrainingExample([.. ids], [.. supervised]));
                ids.Clear();
                supervised.Clear();
            }

            ids.AddRange(example.Ids);
            supervised.Add(false);
            supervised.AddRange(example.Supervised.Skip(1));
        }

        if (ids.Count > 0)
        {
            packed.Add(new TrainingExample([.. ids], [.. supervised]));
        }

        return packed;
    }
}
