using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Curation.Core;

namespace Curation.Training.Checkpoints;

/// <summary>The element types a checkpoint may store.</summary>
public enum TensorDType
{
    F32,
    F16,
    BF16,
}

/// <summary>One tensor's entry in a safetensors header.</summary>
public sealed record TensorEntry(string Name, TensorDType DType, long[] Shape, long Start, long End)
{
    public long Elements => Shape.Aggregate(1L, (a, b) => a * b);
}

/// <summary>
/// The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header naming each tensor's
/// dtype, shape and byte range, then the raw little-endian data. Reads F32, F16 and BF16 into float32; writes F32
/// (or BF16) with the keys sorted, as the Python library does.
/// </summary>
public sealed class SafetensorsFile
{
    private readonly string _path;
    private readonly long _dataStart;

    private SafetensorsFile(string path, long dataStart, IReadOnlyDictionary<string, TensorEntry> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        _path = path;
        _dataStart = dataStart;
        Tensors = tensors;
        Metadata = metadata;
    }

    public IReadOnlyDictionary<string, TensorEntry> Tensors { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <exception cref="CurationException">Not a safetensors file, or an unsupported dtype; the message names the file and tensor.</exception>
    public static SafetensorsFile Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new CurationException($"{path}: not found");
        }

        using var stream = File.OpenRead(path);
        Span<byte> length = stackalloc byte[8];
        if (stream.Read(length) != 8)
        {
            throw new CurationException($"{path}: not a safetensors file (shorter than its 8-byte header length)");
        }

        var headerLength = BinaryPrimitives.ReadInt64LittleEndian(length);
        if (headerLength <= 0 || headerLength > 100_000_000 || headerLength > stream.Length - 8)
        {
            throw new CurationException($"{path}: not a safetensors file (header length {headerLength} of a {stream.Length}-byte file)");
        }

        var header = new byte[headerLength];
        stream.ReadExactly(header);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header);
        }
        catch (JsonException ex)
        {
            throw new CurationException($"{path}: the safetensors header is not valid JSON ({ex.Message})", ex);
        }

        using (document)
        {
            try
            {
                return Parse(path, document.RootElement, stream.Length - 8 - headerLength, 8 + headerLength);
            }
            catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException or FormatException)
            {
                throw new CurationException($"{path}: the safetensors header is damaged (expected dtype, shape and data_offsets for each tensor)", ex);
            }
        }
    }

    private static SafetensorsFile Parse(string path, JsonElement root, long dataLength, long dataStart)
    {
        var tensors = new SortedDictionary<string, TensorEntry>(StringComparer.Ordinal);
        var metadata = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            if (property.Name == "__metadata__")
            {
                foreach (var item in property.Value.EnumerateObject())
                {
                    metadata[item.Name] = item.Value.ToString();
                }

                continue;
            }

            var value = property.Value;
            var dtypeName = value.GetProperty("dtype").GetString();
            var dtype = dtypeName switch
            {
                "F32" => TensorDType.F32,
                "F16" => TensorDType.F16,
                "BF16" => TensorDType.BF16,
                _ => throw new CurationException($"{path}: tensor '{property.Name}' has dtype {dtypeName}; expected F32, F16 or BF16"),
            };
            var shape = value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            var offsets = value.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            var entry = new TensorEntry(property.Name, dtype, shape, offsets[0], offsets[1]);
            if (offsets[1] < offsets[0] || offsets[1] > dataLength || offsets[1] - offsets[0] != entry.Elements * ElementSize(dtype))
            {
                throw new CurationException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{path}: tensor '{property.Name}' claims bytes {offsets[0]}-{offsets[1]} for shape [{string.Join(", ", shape)}] {dtypeName}; the file is truncated or damaged"));
            }

            tensors[property.Name] = entry;
        }

        return new SafetensorsFile(path, dataStart, tensors, metadata);
    }

    /// <summary>The tensor's values as float32, in row-major order.</summary>
    public float[] ReadFloats(TensorEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var bytes = new byte[entry.End - entry.Start];
        using (var stream = File.OpenRead(_path))
        {
            stream.Position = _dataStart + entry.Start;
            stream.ReadExactly(bytes);
        }

        var values = new float[entry.Elements];
        switch (entry.DType)
        {
            case TensorDType.F32:
                MemoryMarshal.Cast<byte, float>(bytes).CopyTo(values);
                break;
            case TensorDType.F16:
                var halves = MemoryMarshal.Cast<byte, Half>(bytes);
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = (float)halves[i];
                }

                break;
            default:
                var raw = MemoryMarshal.Cast<byte, ushort>(bytes);
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = BitConverter.Int32BitsToSingle(raw[i] << 16);
                }

                break;
        }

        return values;
    }

    /// <summary>Writes tensors (name, shape, float32 values) as F32 or BF16, keys sorted, with optional metadata.</summary>
    public static void Write(string path, IEnumerable<(string Name, long[] Shape, float[] Values)> tensors, TensorDType dtype = TensorDType.F32, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (dtype == TensorDType.F16)
        {
            throw new ArgumentException("writing F16 is not supported; use F32 or BF16", nameof(dtype));
        }

        var sorted = tensors.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        var header = new StringBuilder("{");
        var offset = 0L;
        var first = true;
        if (metadata is { Count: > 0 })
        {
            header.Append("\"__metadata__\":").Append(JsonSerializer.Serialize(metadata.OrderBy(m => m.Key, StringComparer.Ordinal).ToDictionary(m => m.Key, m => m.Value)));
            first = false;
        }

        foreach (var (name, shape, values) in sorted)
        {
            var size = values.LongLength * ElementSize(dtype);
            header.Append(first ? string.Empty : ",").Append(JsonSerializer.Serialize(name)).Append(CultureInfo.InvariantCulture, $":{{\"dtype\":\"{dtype}\",\"shape\":[{string.Join(",", shape)}],\"data_offsets\":[{offset},{offset + size}]}}");
            offset += size;
            first = false;
        }

        header.Append('}');

        // The data starts 8-byte aligned, as the Python library pads the header with spaces.
        while ((header.Length + 8) % 8 != 0)
        {
            header.Append(' ');
        }

        OutputFiles.Write(path, stream => WriteData(stream, header.ToString(), sorted, dtype));
    }

    private static void WriteData(Stream stream, string header, List<(string Name, long[] Shape, float[] Values)> sorted, TensorDType dtype)
    {
        var headerBytes = Encoding.UTF8.GetBytes(header);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(length, headerBytes.Length);
        stream.Write(length);
        stream.Write(headerBytes);
        foreach (var (_, _, values) in sorted)
        {
            if (dtype == TensorDType.F32)
            {
                stream.Write(MemoryMarshal.AsBytes(values.AsSpan()));
            }
            else
            {
                var raw = new ushort[values.Length];
                for (var i = 0; i < values.Length; i++)
                {
                    raw[i] = ToBFloat16(values[i]);
                }

                stream.Write(MemoryMarshal.AsBytes(raw.AsSpan()));
            }
        }
    }

    /// <summary>Round to nearest even, as torch converts float32 to bfloat16.</summary>
    public static ushort ToBFloat16(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
        {
            return (ushort)((bits >> 16) | 0x40);
        }

        var rounding = 0x7FFFu + ((bits >> 16) & 1);
        return (ushort)((bits + rounding) >> 16);
    }

    private static int ElementSize(TensorDType dtype) => dtype == TensorDType.F32 ? 4 : 2;
}
