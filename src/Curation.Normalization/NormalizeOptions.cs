namespace Curation.Normalization;

/// <summary>Options of the <c>normalize</c> stage (pipeline keys are the snake_case property names).</summary>
public sealed class NormalizeOptions
{
    /// <summary>Unicode normalisation form of every turn.</summary>
    public UnicodeForm Unicode { get; init; } = UnicodeForm.Nfc;

    /// <summary>Whether line breaks are unified to LF.</summary>
    public LineEndingMode LineEndings { get; init; } = LineEndingMode.Lf;

    /// <summary>Remove C0 and C1 control characters other than tab and line breaks.</summary>
    public bool StripControl { get; init; } = true;

    /// <summary>
    /// Remove invisible characters that carry no meaning: ZERO WIDTH SPACE, WORD JOINER, BOM / ZERO WIDTH NO-BREAK SPACE
    /// and SOFT HYPHEN. ZWJ and ZWNJ are kept: emoji sequences and Indic and Persian spelling need them.
    /// </summary>
    public bool StripZeroWidth { get; init; } = true;

    /// <summary>Whitespace tidying; fenced code blocks are left exactly as written.</summary>
    public WhitespaceMode Whitespace { get; init; } = WhitespaceMode.Trim;

    /// <summary>
    /// Extra role names and the role each becomes (keys match case-insensitively), e.g. <c>customer: user</c>. Entries
    /// override the default aliases. Every target must be system, user, assistant or tool.
    /// </summary>
    public Dictionary<string, string> RoleMap { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Apply the built-in aliases (<see cref="RoleAliases.Defaults"/>) before <see cref="RoleMap"/>.</summary>
    public bool DefaultRoleMap { get; init; } = true;
}
