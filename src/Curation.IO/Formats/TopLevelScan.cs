using System.Text;
using System.Text.Json;
using Curation.Core.Records;

namespace Curation.IO.Formats;

/// <summary>
/// One validating pass over a record's top-level object: where each mapped field's value lies, and the other
/// keys with their values. Formats then read only the fields they need. A "messages" or "conversations" array,
/// which holds nearly all of a chat record's bytes, is converted to turns during this same pass when it decides
/// the shape, so that the bulk of the input is tokenized once. Reused per thread; not thread-safe.
/// </summary>
internal sealed class TopLevelScan
{
    private const int StackNameLimit = 256;

    private readonly List<Message> _messages;
    private readonly StringBuilder _text;
    private readonly JsonSlice[] _slices = new JsonSlice[CanonicalFields.Count];
    private readonly List<KeyValuePair<string, JsonElement>> _others = [];
    private int _present;
    private int _consumed;

    public TopLevelScan(List<Message> messages, StringBuilder text)
    {
        _messages = messages;
        _text = text;
    }

    /// <summary>The first mapped field that appeared more than once, if any.</summary>
    public CanonicalField? Duplicate { get; private set; }

    /// <summary>Keys that hold no mapped field, with their values (only when the scan captured them).</summary>
    public IReadOnlyList<KeyValuePair<string, JsonElement>> Others => _others;

    /// <summary>The field whose turns the scan put into the message list, if any.</summary>
    public CanonicalField? ConvertedField { get; private set; }

    /// <summary>Why converting <see cref="ConvertedField"/> failed; null when it succeeded.</summary>
    public string? ConversionError { get; private set; }

    public bool Has(CanonicalField field) => (_present & (1 << (int)field)) != 0;

    public bool IsConsumed(CanonicalField field) => (_consumed & (1 << (int)field)) != 0;

    /// <summary>Whether some mapped field is present that no format used.</summary>
    public bool HasUnconsumedFields => (_present & ~_consumed) != 0;

    public JsonSlice this[CanonicalField field] => _slices[(int)field];

    /// <summary>Marks a field as part of the conversation, so it does not go to the metadata.</summary>
    public void Consume(CanonicalField field) => _consumed |= 1 << (int)field;

    /// <summary>
    /// Reads the whole item, checking that it is one JSON value. Returns the type of the top-level token; fields are
    /// recorded only when it is an object. Throws <see cref="JsonException"/> for invalid JSON.
    /// </summary>
    /// <param name="convertFor">The decoder's format, to convert the conversation while scanning; null to only look.</param>
    public JsonTokenType Run(ReadOnlySpan<byte> json, FieldMapping mapping, bool captureOthers, InputFormat? convertFor)
    {
        _present = 0;
        _consumed = 0;
        Duplicate = null;
        ConvertedField = null;
        ConversionError = null;
        _others.Clear();
        _messages.Clear();

        var reader = new Utf8JsonReader(json, JsonInput.ReaderOptions);
        reader.Read();
        var root = reader.TokenType;
        if (root != JsonTokenType.StartObject)
        {
            reader.Skip();
            ReadToEnd(ref reader);
            return root;
        }

        Span<byte> nameBuffer = stackalloc byte[StackNameLimit];
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // An unescaped name is never longer than its escaped form.
            ReadOnlySpan<byte> name = !reader.ValueIsEscaped ? reader.ValueSpan
                : reader.ValueSpan.Length <= nameBuffer.Length ? nameBuffer[..reader.CopyString(nameBuffer)]
                : Encoding.UTF8.GetBytes(reader.GetString()!);
            if (mapping.TryMatch(name, out var field))
            {
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                if (ConvertsWhileScanning(field, convertFor))
                {
                    Convert(ref reader, field, mapping);
                }
                else
                {
                    reader.Skip();
                }

                if (Has(field))
                {
                    Duplicate ??= field;
                }

                _slices[(int)field] = new JsonSlice(start, (int)reader.BytesConsumed - start);
                _present |= 1 << (int)field;
            }
            else if (captureOthers)
            {
                var key = reader.GetString()!;
                _others.Add(new KeyValuePair<string, JsonElement>(key, JsonElement.ParseValue(ref reader)));
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        ReadToEnd(ref reader);
        return root;
    }

    /// <summary>Every top-level key, in ordinal order, for the unknown-format message.</summary>
    public List<string> KeyNames(FieldMapping mapping)
    {
        var names = new List<string>(_others.Count + CanonicalFields.Count);
        for (var i = 0; i < CanonicalFields.Count; i++)
        {
            if (Has((CanonicalField)i))
            {
                names.Add(mapping.KeyOf((CanonicalField)i));
            }
        }

        foreach (var other in _others)
        {
            names.Add(other.Key);
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    /// <summary>
    /// "messages" decides the shape whenever it is present; "conversations" does unless "messages" turns up, in
    /// which case its turns are dropped and the messages converted instead.
    /// </summary>
    private bool ConvertsWhileScanning(CanonicalField field, InputFormat? format)
    {
        if (format is not { } shape || Has(field))
        {
            return false;
        }

        return field switch
        {
            CanonicalField.Messages => shape is InputFormat.Auto or InputFormat.OpenAi,
            CanonicalField.Conversations => (shape == InputFormat.Auto && !Has(CanonicalField.Messages)) || shape == InputFormat.ShareGpt,
            _ => false,
        };
    }

    private void Convert(ref Utf8JsonReader reader, CanonicalField field, FieldMapping mapping)
    {
        _messages.Clear();
        ConvertedField = field;
        var start = reader.TokenStartIndex;
        var depth = reader.CurrentDepth;
        ConversationReader read = field == CanonicalField.Messages ? OpenAiMessagesFormat.TryReadMessages : ShareGptFormat.TryReadTurns;
        var converted = read(ref reader, new FieldPath(mapping.KeyOf(field)), _messages, _text, out var error);
        ConversionError = converted ? null : error;
        if (!converted)
        {
            SkipRestOfValue(ref reader, start, depth);
        }
    }

    /// <summary>After a conversion stopped at a bad token, reads on to the end of the value so the scan can go on.</summary>
    private static void SkipRestOfValue(ref Utf8JsonReader reader, long start, int depth)
    {
        if (reader.TokenStartIndex == start)
        {
            reader.Skip();
            return;
        }

        while (reader.CurrentDepth != depth || reader.TokenType is not (JsonTokenType.EndArray or JsonTokenType.EndObject))
        {
            reader.Read();
        }
    }

    private static void ReadToEnd(ref Utf8JsonReader reader)
    {
        // With the whole item as the final block, Read throws for anything but whitespace after the value.
        while (reader.Read())
        {
        }
    }
}
