namespace Curation.Training.Data;

/// <summary>One tokenised training sequence: ids, and which positions' tokens the loss is computed on.</summary>
public sealed record TrainingExample(int[] Ids, bool[] Supervised)
{
    public int Length => Ids.Length;

    /// <summary>Tokens the model is trained to predict (a supervised token after the first position).</summary>
    public int SupervisedTokens
    {
        get
        {
            var count = 0;
            for (var i = 1; i < Supervised.Length; i++)
            {
                count += Supervised[i] ? 1 : 0;
            }

            return count;
        }
    }
}

/// <summary>Which tokens the loss covers.</summary>
public enum LossOn
{
    /// <summary>The assistant turns' content and end markers (the default: the prompt is given, not learned).</summary>
    Assistant,

    /// <summary>Every token of the rendered conversation.</summary>
    All,
}

/// <summary>What happens to a conversation longer than the maximum length.</summary>
public enum Truncation
{
    /// <summary>Left out of training, and counted.</summary>
    Drop,

    /// <summary>Cut to the maximum length (keeping the beginning); left out if no supervised token remains.</summary>
    Truncate,
}
