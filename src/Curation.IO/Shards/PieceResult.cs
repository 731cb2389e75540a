using Curation.Core.Stages;

namespace Curation.IO.Shards;

/// <summary>What reading one piece gave: its item count, and for a whole file its size and hash as a plain run records them.</summary>
internal sealed record PieceResult(int Piece, long Items, InputFileInfo? File);
