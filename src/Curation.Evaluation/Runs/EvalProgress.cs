namespace Curation.Evaluation.Runs;

/// <summary>What a run tells whoever shows progress; the library never prints.</summary>
internal interface IEvalProgress
{
    /// <param name="cached">Calls the cache answers, of <paramref name="calls"/>.</param>
    void ArmStarted(string arm, int calls, int cached);

    void CallFinished(string arm, bool failed);

    void ArmFinished(string arm);

    void Note(string line);
}

/// <summary>No progress shown: tests, and hosts that only want the result.</summary>
internal sealed class SilentProgress : IEvalProgress
{
    public static SilentProgress Instance { get; } = new();

    public void ArmStarted(string arm, int calls, int cached)
    {
    }

    public void CallFinished(string arm, bool failed)
    {
    }

    public void ArmFinished(string arm)
    {
    }

    public void Note(string line)
    {
    }
}
