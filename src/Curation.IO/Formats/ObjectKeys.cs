using System.Text.Json;

namespace Curation.IO.Formats;

/// <summary>
/// The keys read so far in one JSON object, so that a key given twice is refused: a reader would silently keep only
/// one of the values. The names chat turns and content parts use are tracked without allocating; others go to a set.
/// </summary>
internal struct ObjectKeys
{
    private static readonly string[] Common =
        ["role", "content", "from", "value", "weight", "name", "type", "text", "tool_calls", "function_call", "tool_call_id"];

    private static readonly byte[][] CommonUtf8 = [.. Common.Select(System.Text.Encoding.UTF8.GetBytes)];

    private int _common;
    private HashSet<string>? _others;

    /// <summary>Adds the property name the reader is on; false, with the name, when the object had it already.</summary>
    public bool TryAdd(ref Utf8JsonReader reader, out string key)
    {
        var index = -1;
        if (!reader.ValueIsEscaped)
        {
            var name = reader.ValueSpan;
            for (var i = 0; i < CommonUtf8.Length && index < 0; i++)
            {
                index = name.SequenceEqual(CommonUtf8[i]) ? i : -1;
            }

            if (index < 0)
            {
                key = reader.GetString()!;
                return (_others ??= new HashSet<string>(StringComparer.Ordinal)).Add(key);
            }
        }
        else
        {
            try
            {
                key = reader.GetString()!;
            }
            catch (InvalidOperationException)
            {
                // A name with an unpaired surrogate escape cannot be compared as text; whatever reads it reports it.
                key = string.Empty;
                return true;
            }

            index = Array.IndexOf(Common, key);
            if (index < 0)
            {
                return (_others ??= new HashSet<string>(StringComparer.Ordinal)).Add(key);
            }
        }

        key = Common[index];
        var bit = 1 << index;
        var first = (_common & bit) == 0;
        _common |= bit;
        return first;
    }
}
