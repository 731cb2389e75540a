using Curation.Core;
using Curation.Core.Files;

namespace Curation.Pipeline.ScaleOut;

/// <summary>
/// The files of one piece of work of a sharded run (a task of a step, or a gather step): what it writes, its counts, and
/// its markers: started when it begins, failed with its error, done written last and atomically.
/// </summary>
/// <param name="Output">A task's part (data, or the envelopes it hands on); a gather step's folder.</param>
internal sealed record StepFiles(string Output, string Stats, string Done, string Started, string Failed, string Progress, string Log)
{
    public bool IsDone => File.Exists(Done);

    /// <summary>Removes what an unfinished attempt left (not the output of a gather step: its parts are replaced one by one).</summary>
    public void ClearAttempt()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Stats)!);
        foreach (var file in new[] { Stats, Started, Failed, Progress })
        {
            File.Delete(file);
        }

        if (!Directory.Exists(Output))
        {
            File.Delete(Output);
        }
    }

    /// <summary>Clears an earlier attempt and writes the started marker (this host and process).</summary>
    public void Begin()
    {
        ClearAttempt();
        AtomicFile.WriteAllText(Started, $"{Environment.MachineName} {Environment.ProcessId}\n");
    }

    /// <summary>Leaves the failed marker with the error on one line; returns the error.</summary>
    public string Fail(string error)
    {
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            AtomicFile.WriteAllText(Failed, error.ReplaceLineEndings(" ") + "\n");
        }
        catch (CurationException)
        {
            // The error is still reported by the exit status and output.
        }

        return error;
    }
}
