namespace Curation.Core.Files;

/// <summary>
/// Turns the file-system faults a user can fix (a full disk, a missing permission, a read-only file system) into
/// one-line <see cref="CurationException"/>s that name the path, instead of a runtime message or a stack trace.
/// </summary>
public static class FileFaults
{
    // errno values, which .NET puts in IOException.HResult on Unix; Windows HRESULTs carry the Win32 code in the low word.
    private const int Enospc = 28;
    private const int Erofs = 30;
    private const int Edquot = 122;
    private const int WindowsDiskFull = 112;
    private const int WindowsHandleDiskFull = 39;

    /// <summary>Whether <paramref name="exception"/> (or an exception inside it) says the disk or quota of an output is full (not the temporary folder's).</summary>
    public static bool IsNoSpace(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is IOException io && IsNoSpaceCode(io.HResult))
            {
                return true;
            }

            if (e is CurationFileException { Temporary: true })
            {
                return false;
            }

            if (e is CurationFileException { Fault: FileFault.NoSpace } file)
            {
                return !file.Temporary;
            }
        }

        return false;
    }

    /// <summary>One line for a fault a user can fix, naming <paramref name="path"/>; null for anything else.</summary>
    public static string? Describe(Exception exception, string path)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return Classify(exception) switch
        {
            FileFault.NoSpace => $"no space left on {Where(path)}",
            FileFault.ReadOnly => $"cannot write {DisplayPath.For(path)}: read-only file system",
            FileFault.Permission => $"cannot write {DisplayPath.For(path)}: permission denied",
            _ => null,
        };
    }

    /// <summary>Runs <paramref name="action"/>; a fault a user can fix becomes one line naming <paramref name="path"/>.</summary>
    /// <exception cref="CurationFileException">The disk is full, the folder is read-only or not writable.</exception>
    public static void Guard(string path, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            action();
        }
        catch (Exception ex) when (Classify(ex) is { } fault and not FileFault.None)
        {
            throw new CurationFileException(Describe(ex, path)!, path, fault, ex);
        }
    }

    /// <inheritdoc cref="Guard(string, Action)"/>
    public static T Guard<T>(string path, Func<T> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        try
        {
            return function();
        }
        catch (Exception ex) when (Classify(ex) is { } fault and not FileFault.None)
        {
            throw new CurationFileException(Describe(ex, path)!, path, fault, ex);
        }
    }

    public static FileFault Classify(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            CurationFileException file => file.Fault,
            UnauthorizedAccessException => FileFault.Permission,
            IOException io when IsNoSpaceCode(io.HResult) => FileFault.NoSpace,
            IOException io when io.HResult == Erofs && !OperatingSystem.IsWindows() => FileFault.ReadOnly,
            _ => FileFault.None,
        };
    }

    private static bool IsNoSpaceCode(int hresult) => OperatingSystem.IsWindows()
        ? (hresult & 0xFFFF) is WindowsDiskFull or WindowsHandleDiskFull
        : hresult is Enospc or Edquot;

    // "no space left on out/ (writing out/data.jsonl)": the folder is what the user frees or changes.
    private static string Where(string path)
    {
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full) ?? full;
        return $"{DisplayPath.For(folder).TrimEnd('/')}/ (writing {DisplayPath.For(full)})";
    }
}

/// <summary>What kind of user-fixable file-system fault stopped a write.</summary>
public enum FileFault
{
    None,
    NoSpace,
    Permission,
    ReadOnly,
}

/// <summary>A user-fixable file-system fault: its message is one line naming the path.</summary>
public sealed class CurationFileException : CurationException
{
    public CurationFileException(string message, string path, FileFault fault, Exception innerException, bool temporary = false)
        : base(message, innerException)
    {
        Path = path;
        Fault = fault;
        Temporary = temporary;
    }

    public CurationFileException()
    {
        Path = string.Empty;
    }

    public CurationFileException(string message)
        : base(message)
    {
        Path = string.Empty;
    }

    public CurationFileException(string message, Exception innerException)
        : base(message, innerException)
    {
        Path = string.Empty;
    }

    public string Path { get; }

    public FileFault Fault { get; }

    /// <summary>Whether the fault was in the temporary folder ($TMPDIR) rather than where outputs go.</summary>
    public bool Temporary { get; }
}
