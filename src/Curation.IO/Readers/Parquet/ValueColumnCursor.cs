using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Unicode;
using Parquet.Data;
using Parquet.Schema;

namespace Curation.IO.Readers.Parquet;

/// <summary>A <see cref="ColumnCursor"/> over values of one CLR type, written to JSON without boxing.</summary>
internal sealed class ValueColumnCursor<T> : ColumnCursor
    where T : struct
{
    private readonly RawColumnData<T> _values;
    private int _valueIndex;

    public ValueColumnCursor(DataField field, RawColumnData<T> values, long rowCount)
        : base(field, values, rowCount)
    {
        _values = values;
    }

    protected override void WriteNextValue(Utf8JsonWriter writer) => Write(writer, _values.Values[_valueIndex++]);

    protected override void WriteNextValueAsPropertyName(Utf8JsonWriter writer)
    {
        var value = _values.Values[_valueIndex++];
        if (typeof(T) == typeof(ReadOnlyMemory<char>))
        {
            writer.WritePropertyName(Unsafe.As<T, ReadOnlyMemory<char>>(ref value).Span);
        }
        else
        {
            writer.WritePropertyName(AsText(value));
        }
    }

    protected override void SkipValue() => _valueIndex++;

    private static void Write(Utf8JsonWriter writer, T value)
    {
        if (typeof(T) == typeof(ReadOnlyMemory<char>))
        {
            writer.WriteStringValue(Unsafe.As<T, ReadOnlyMemory<char>>(ref value).Span);
        }
        else if (typeof(T) == typeof(bool))
        {
            writer.WriteBooleanValue(Unsafe.As<T, bool>(ref value));
        }
        else if (typeof(T) == typeof(int))
        {
            writer.WriteNumberValue(Unsafe.As<T, int>(ref value));
        }
        else if (typeof(T) == typeof(long))
        {
            writer.WriteNumberValue(Unsafe.As<T, long>(ref value));
        }
        else if (typeof(T) == typeof(double))
        {
            WriteFloat(writer, Unsafe.As<T, double>(ref value));
        }
        else if (typeof(T) == typeof(float))
        {
            var number = Unsafe.As<T, float>(ref value);
            if (float.IsFinite(number))
            {
                writer.WriteNumberValue(number);
            }
            else
            {
                WriteFloat(writer, number);
            }
        }
        else if (typeof(T) == typeof(short))
        {
            writer.WriteNumberValue(Unsafe.As<T, short>(ref value));
        }
        else if (typeof(T) == typeof(sbyte))
        {
            writer.WriteNumberValue(Unsafe.As<T, sbyte>(ref value));
        }
        else if (typeof(T) == typeof(byte))
        {
            writer.WriteNumberValue(Unsafe.As<T, byte>(ref value));
        }
        else if (typeof(T) == typeof(ushort))
        {
            writer.WriteNumberValue(Unsafe.As<T, ushort>(ref value));
        }
        else if (typeof(T) == typeof(uint))
        {
            writer.WriteNumberValue(Unsafe.As<T, uint>(ref value));
        }
        else if (typeof(T) == typeof(ulong))
        {
            writer.WriteNumberValue(Unsafe.As<T, ulong>(ref value));
        }
        else if (typeof(T) == typeof(decimal))
        {
            writer.WriteNumberValue(Unsafe.As<T, decimal>(ref value));
        }
        else if (typeof(T) == typeof(Half))
        {
            WriteFloat(writer, (double)Unsafe.As<T, Half>(ref value));
        }
        else if (typeof(T) == typeof(BigInteger))
        {
            writer.WriteRawValue(Unsafe.As<T, BigInteger>(ref value).ToString(CultureInfo.InvariantCulture), skipInputValidation: true);
        }
        else if (typeof(T) == typeof(ReadOnlyMemory<byte>))
        {
            WriteBytes(writer, Unsafe.As<T, ReadOnlyMemory<byte>>(ref value).Span);
        }
        else if (typeof(T) == typeof(DateTime))
        {
            writer.WriteStringValue(Unsafe.As<T, DateTime>(ref value));
        }
        else if (typeof(T) == typeof(DateTimeOffset))
        {
            writer.WriteStringValue(Unsafe.As<T, DateTimeOffset>(ref value));
        }
        else if (typeof(T) == typeof(Guid))
        {
            writer.WriteStringValue(Unsafe.As<T, Guid>(ref value));
        }
        else
        {
            writer.WriteStringValue(AsText(value));
        }
    }

    private static void WriteFloat(Utf8JsonWriter writer, double number)
    {
        if (double.IsFinite(number))
        {
            writer.WriteNumberValue(number);
        }
        else
        {
            // JSON has no NaN or infinities; keep the information as text rather than failing the row.
            writer.WriteStringValue(double.IsNaN(number) ? "NaN" : number > 0 ? "Infinity" : "-Infinity");
        }
    }

    // Binary columns are usually text written without the UTF-8 annotation; anything else is kept as base64.
    private static void WriteBytes(Utf8JsonWriter writer, ReadOnlySpan<byte> bytes)
    {
        if (Utf8.IsValid(bytes))
        {
            writer.WriteStringValue(bytes);
        }
        else
        {
            writer.WriteBase64StringValue(bytes);
        }
    }

    private static string AsText(T value) => value switch
    {
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        TimeOnly time => time.ToString("HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
        TimeSpan span => span.ToString("c", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
