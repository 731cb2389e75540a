namespace Curation.Core.Runtime;

/// <summary>How many workers a run or a stage uses: at least one, by default one per core.</summary>
public static class WorkerCount
{
    public const int Minimum = 1;

    /// <summary>What a valid count is, as error messages say it.</summary>
    public const string Expectation = "an integer of at least 1";

    public static int Default => Environment.ProcessorCount;

    public static bool IsValid(int workers) => workers >= Minimum;

    /// <summary>The count a run uses: the command line's, else the pipeline file's, else one per core.</summary>
    public static int Resolve(int? commandLine, int? pipelineFile) => commandLine ?? pipelineFile ?? Default;
}
