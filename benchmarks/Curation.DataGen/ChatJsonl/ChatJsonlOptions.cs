namespace Curation.DataGen.ChatJsonl;

/// <param name="OutputPath">The JSONL file to write (replaced if it exists).</param>
/// <param name="TargetBytes">Stop after the first record that brings the file to at least this size.</param>
/// <param name="AverageRecordBytes">Target average size of one line; records never shrink below one exchange.</param>
internal sealed record ChatJsonlOptions(string OutputPath, long TargetBytes, ulong Seed, int AverageRecordBytes);
