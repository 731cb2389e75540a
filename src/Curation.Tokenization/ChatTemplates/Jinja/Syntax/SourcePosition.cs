namespace Curation.Tokenization.ChatTemplates.Jinja.Syntax;

/// <summary>A place in a template's source: 1-based line and column.</summary>
internal readonly record struct SourcePosition(int Line, int Column)
{
    public override string ToString() => $"line {Line}, column {Column}";
}
