namespace Curation.DataGen.Content;

/// <summary>A Linux administration question with its answer; <see cref="Area"/> groups facts for follow-up questions.</summary>
internal sealed record ShellFact(string Area, string[] Questions, string Answer);
