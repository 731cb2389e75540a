namespace Curation.Core.Runtime;

public enum RunStatus
{
    Completed,
    Cancelled,
    Failed,
}
