namespace Curation.Tokenization.ChatTemplates.Jinja.Runtime;

/// <summary>How far one rendering may go before it fails: a template is code from a model folder, not trusted to end.</summary>
internal sealed record RenderLimits
{
    public static RenderLimits Default { get; } = new();

    /// <summary>Characters of output, and of any one string or list made on the way.</summary>
    public int MaxOutputLength { get; init; } = 4 * 1024 * 1024;

    /// <summary>For loop iterations over the whole rendering.</summary>
    public long MaxLoopIterations { get; init; } = 1_000_000;

    /// <summary>Macros calling macros (recursion included).</summary>
    public int MaxCallDepth { get; init; } = 64;

    /// <summary>Items of one <c>range()</c>, as Jinja's sandbox allows.</summary>
    public int MaxRange { get; init; } = 100_000;
}
