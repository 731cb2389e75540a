using Microsoft.Data.Sqlite;

namespace Curation.Evaluation.Store;

/// <summary>Reads a nullable column the way <see cref="SqliteDataReader"/> does not.</summary>
internal static class SqliteReaderExtensions
{
    public static string? GetStringOrNull(this SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
