namespace Curation.DataGen.Cli;

/// <summary>A command-line mistake; its message is printed with the usage text.</summary>
internal sealed class UsageException : Exception
{
    public UsageException()
    {
    }

    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
