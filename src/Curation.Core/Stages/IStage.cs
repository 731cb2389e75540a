namespace Curation.Core.Stages;

/// <summary>A named step of a pipeline.</summary>
public interface IStage
{
    /// <summary>The stage's name as written in the pipeline file; it is the stage column of the rejects file.</summary>
    string Name { get; }
}
