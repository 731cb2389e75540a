namespace Curation.Filters.Quality;

/// <summary>A quality rule that failed: its name and what it measured against its limit.</summary>
public readonly record struct RuleFailure(string Rule, string Detail);
