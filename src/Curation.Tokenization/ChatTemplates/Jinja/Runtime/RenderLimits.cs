namespace Curation.Tokenization.ChatTemplates.Jinja.Runtime;

/// <summary>How far one rendering may go before it fails: a template is code from a model folder, not trusted to end.</summary>
internal sealed record RenderLimits
{
    /// <summary>The default of <see cref="MaxOutputLength"/>, also the most a width or count argument (<c>indent</c>, <c>center</c>, a format width) may ask for.</summary>
    public const int DefaultMaxOutputLength = 4 * 1024 * 1024;

    public static RenderLimits Default { get; } = new();

    /// <summary>Characters of output, and of any one string or list made on the way.</summary>
    public int MaxOutputLength { get; init; } = DefaultMaxOutputLength;

    /// <summary>For loop iterations over the whole rendering.</summary>
    public long MaxLoopIterations { get; init; } = 1_000_000;

    /// <summary>Macros calling macros (recursion included).</summary>
    public int MaxCallDepth { get; init; } = 64;

    /// <summary>Items of one <c>range()</c>, as Jinja's sandbox allows.</summary>
    public int MaxRange { get; init; } = 100_000;
}
