using System.Text.RegularExpressions;

namespace Curation.Tokenization.Tokenizers;

/// <summary>
/// A regex compiled once whose further instances (<see cref="NewInstance"/>) run the same compiled code, as the
/// instances of a source-generated regex do. Each instance keeps one matcher for one caller at a time, so callers on
/// several threads each take their own instance; building each with <see cref="RegexOptions.Compiled"/> would parse,
/// emit and compile the pattern again every time (seven times in one run of two workers, measured).
/// </summary>
internal sealed class SharedCodeRegex : Regex
{
    public SharedCodeRegex(string pattern, RegexOptions options)
        : base(pattern, options | RegexOptions.Compiled)
    {
    }

    private SharedCodeRegex(SharedCodeRegex compiled)
    {
        pattern = compiled.pattern;
        roptions = compiled.roptions;
        internalMatchTimeout = compiled.internalMatchTimeout;
        factory = compiled.factory;
        caps = compiled.caps;
        capnames = compiled.capnames;
        capslist = compiled.capslist;
        capsize = compiled.capsize;
    }

    /// <summary>Another instance with its own matcher and the same compiled code.</summary>
    public SharedCodeRegex NewInstance() => new(this);
}
