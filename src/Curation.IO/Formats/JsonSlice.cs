namespace Curation.IO.Formats;

/// <summary>Where one top-level value lies in the item's bytes.</summary>
internal readonly record struct JsonSlice(int Start, int Length);
