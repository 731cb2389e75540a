using System.Collections.Immutable;
using Curation.Core.Records;

namespace Curation.IO.Writers;

/// <summary>One record ready for the Parquet columns: its metadata already rendered as JSON text, its source as text.</summary>
internal readonly record struct ParquetRow(string Id, ImmutableArray<Message> Messages, string Metadata, string Source);
