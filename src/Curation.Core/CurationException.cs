namespace Curation.Core;

/// <summary>
/// An error the user can fix (bad input, bad config, missing file). Its message is the one line the CLI prints:
/// it names the file, line or row, field, and what was expected.
/// </summary>
public class CurationException : Exception
{
    public CurationException()
    {
    }

    public CurationException(string message)
        : base(message)
    {
    }

    public CurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
