using System.Numerics;
using Parquet.Schema;

namespace Curation.IO.Diagnosis;

/// <summary>Parquet column types as people write them: int64, string, list&lt;struct{role: string, content: string}&gt;.</summary>
internal static class ParquetTypeNames
{
    public static string Of(Field field) => field switch
    {
        DataField data when data.IsArray => $"list<{Primitive(data.ClrType)}>",
        DataField data => Primitive(data.ClrType),
        ListField list => $"list<{Of(list.Item)}>",
        MapField map => $"map<{Of(map.Key)}, {Of(map.Value)}>",
        StructField structure => $"struct{{{string.Join(", ", structure.Fields.Select(child => $"{child.Name}: {Of(child)}"))}}}",
        _ => field.SchemaType.ToString().ToLowerInvariant(),
    };

    /// <summary>Whether the reader turns the column into a JSON string: text, or binary that holds UTF-8.</summary>
    public static bool IsText(Field field) => field is DataField { IsArray: false } data && Primitive(data.ClrType) is "string" or "binary";

    // Parquet.Net reports text and binary columns as ReadOnlyMemory<char> and ReadOnlyMemory<byte>.
    private static string Primitive(Type type) =>
        type == typeof(string) || type == typeof(ReadOnlyMemory<char>) ? "string"
        : type == typeof(byte[]) || type == typeof(ReadOnlyMemory<byte>) ? "binary"
        : type == typeof(bool) ? "boolean"
        : type == typeof(sbyte) ? "int8"
        : type == typeof(short) ? "int16"
        : type == typeof(int) ? "int32"
        : type == typeof(long) ? "int64"
        : type == typeof(byte) ? "uint8"
        : type == typeof(ushort) ? "uint16"
        : type == typeof(uint) ? "uint32"
        : type == typeof(ulong) ? "uint64"
        : type == typeof(Half) ? "float16"
        : type == typeof(float) ? "float"
        : type == typeof(double) ? "double"
        : type == typeof(decimal) ? "decimal"
        : type == typeof(BigInteger) ? "int96"
        : type == typeof(DateTime) || type == typeof(DateTimeOffset) ? "timestamp"
        : type == typeof(DateOnly) ? "date"
        : type == typeof(TimeSpan) || type == typeof(TimeOnly) ? "time"
        : type == typeof(Guid) ? "uuid"
        : type.Name.ToLowerInvariant();
}
