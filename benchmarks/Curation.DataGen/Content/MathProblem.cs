namespace Curation.DataGen.Content;

/// <summary>A word problem with a worked solution, and optionally a follow-up question that changes one quantity.</summary>
internal sealed record MathProblem(string Question, string Solution, (string Question, string Answer)? FollowUp);
