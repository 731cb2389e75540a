namespace Curation.Normalization;

/// <summary>One reject rule: its name, the stage kind that applies it, what it catches and whether it is on by default.</summary>
public sealed record RuleInfo(string Name, string Stage, string Description, bool EnabledByDefault);
