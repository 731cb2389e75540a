namespace Curation.Core.Records;

/// <summary>One undecoded input item: the UTF-8 JSON text of one record and where it came from.</summary>
public readonly record struct RawItem(ReadOnlyMemory<byte> Utf8Json, SourceRef Source);
