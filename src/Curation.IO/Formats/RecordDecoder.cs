using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Curation.Core.Config;
using Curation.Core.Records;
using Curation.Core.Runtime;
using Curation.Core.Stages;

namespace Curation.IO.Formats;

/// <summary>
/// Turns one raw item into a <see cref="ChatRecord"/>, or into a reject of the read stage naming what was wrong:
/// invalid UTF-8, invalid JSON, a row the reader could not read, wrong types or missing fields, or no known
/// shape. Fields not part of the conversation become the record's metadata; a top-level "metadata" object (as
/// Curation writes it) is read back flat. Thread-safe: one instance serves every decode worker.
/// </summary>
public sealed class RecordDecoder : IRecordDecoder
{
    /// <summary>The key under which Curation's outputs write the metadata object.</summary>
    private const string MetadataKey = "metadata";

    private readonly InputFormat _format;
    private readonly FieldMapping _mapping;
    private readonly bool _compactLines;
    private readonly bool _keepVerbatimLines;

    /// <summary>Uses the input's format (auto detects per record) and field mapping.</summary>
    /// <exception cref="Core.CurationException">The field mapping names an unknown field or maps a key twice.</exception>
    public RecordDecoder(InputOptions options)
        : this(options, keepVerbatimLines: false)
    {
    }

    /// <summary>
    /// As <see cref="RecordDecoder(InputOptions)"/>; with <paramref name="keepVerbatimLines"/>, a record decoded from a
    /// line that is already what the JSON Lines writer would write for it keeps a copy of the line
    /// (<see cref="ChatRecord.Verbatim"/>), so that it can be written by copying. Worth its memory only for a run
    /// whose records go to an OpenAI JSON Lines output with ids, not for records loaded to be used.
    /// </summary>
    /// <exception cref="Core.CurationException">The field mapping names an unknown field or maps a key twice.</exception>
    public RecordDecoder(InputOptions options, bool keepVerbatimLines)
    {
        ArgumentNullException.ThrowIfNull(options);
        _keepVerbatimLines = keepVerbatimLines;
        _format = options.Format;
        _mapping = FieldMapping.Create(options.Fields, options.Path);
        _compactLines = _format is InputFormat.Auto or InputFormat.OpenAi
            && _mapping.TryMatch("id"u8, out var idField) && idField == CanonicalField.Id
            && _mapping.TryMatch("messages"u8, out var messagesField) && messagesField == CanonicalField.Messages;
    }

    public Envelope Decode(in RawItem item, long sequence)
    {
        var bytes = item.Utf8Json.Span;
        if (!Utf8.IsValid(bytes))
        {
            return Reject(sequence, item, ReadRules.InvalidUtf8, Utf8Errors.Describe(bytes), rawBase64: true);
        }

        var json = Utf8Bom.Skip(bytes);
        var scratch = DecodeScratch.Current;
        if (_compactLines && CompactChatLine.TryDecode(json, scratch.Messages, out var compactId, out var verbatimLength))
        {
            var verbatim = _keepVerbatimLines ? json[..verbatimLength] : default;
            return Envelope.Kept(sequence, NewRecord(item, compactId, scratch.Messages, ChatRecord.EmptyMetadata, verbatim));
        }

        var scan = scratch.Scan;
        JsonTokenType root;
        try
        {
            root = scan.Run(json, _mapping, captureOthers: true, convertFor: _format);
        }
        catch (JsonException ex)
        {
            return Reject(sequence, item, ReadRules.MalformedJson, JsonErrorText.Describe(ex, json, bytes.Length - json.Length));
        }
        catch (InvalidOperationException)
        {
            return Reject(sequence, item, ReadRules.MalformedJson, "a key holds an unpaired surrogate escape (\\uD800-\\uDFFF) and is not valid text");
        }

        if (root != JsonTokenType.StartObject)
        {
            return Reject(sequence, item, ReadRules.Schema, $"expected a JSON object at the top level, got {JsonInput.Describe(root)}");
        }

        if (ReaderError(scan) is { } readerError)
        {
            return Reject(sequence, item, ReadRules.MalformedRow, readerError);
        }

        if (scan.Duplicate is { } duplicate)
        {
            return Reject(sequence, item, ReadRules.Schema, $"field '{_mapping.KeyOf(duplicate)}': appears more than once");
        }

        var format = _format == InputFormat.Auto ? FormatDetector.Detect(scan) : _format;
        if (format is not { } shape)
        {
            return Reject(sequence, item, ReadRules.UnknownFormat, DescribeUnknownShape(scan));
        }

        var context = new DecodeContext(json, scan, _mapping, scratch);
        if (!TryConvert(shape, context, out var error)
            || !TryReadId(context, out var id, out error)
            || !TryBuildMetadata(context, out var metadata, out error))
        {
            return Reject(sequence, item, ReadRules.Schema, error!);
        }

        return Envelope.Kept(sequence, NewRecord(item, id, scratch.Messages, metadata));
    }

    /// <param name="verbatim">The line, when it is the one the writer would give the record (copied: the item's bytes go back to a pool); else empty.</param>
    private static ChatRecord NewRecord(in RawItem item, string? id, List<Message> turns, ImmutableSortedDictionary<string, JsonElement> metadata, ReadOnlySpan<byte> verbatim = default)
    {
        var array = turns.ToArray();
        var messages = ImmutableCollectionsMarshal.AsImmutableArray(array);
        return new ChatRecord
        {
            Id = id ?? RecordId.FromContent(array),
            HasInputId = id is not null,
            Messages = messages,
            Source = item.Source,
            Metadata = metadata,
            Verbatim = id is not null && !verbatim.IsEmpty ? new VerbatimLine(verbatim.ToArray(), id, messages) : null,
        };
    }

    private static bool TryConvert(InputFormat format, DecodeContext context, out string? error) => format switch
    {
        InputFormat.OpenAi => OpenAiMessagesFormat.TryConvert(context, out error),
        InputFormat.ShareGpt => ShareGptFormat.TryConvert(context, out error),
        InputFormat.Alpaca => AlpacaFormat.TryConvert(context, out error),
        InputFormat.PromptCompletion => PromptCompletionFormat.TryConvert(context, out error),
        InputFormat.Text => TextFormat.TryConvert(context, out error),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "not a record shape"),
    };

    /// <summary>The input's own id: a string, or an integer kept as its decimal text. Null when absent.</summary>
    private static bool TryReadId(DecodeContext context, out string? id, out string? error)
    {
        id = null;
        error = null;
        if (!context.Scan.Has(CanonicalField.Id))
        {
            return true;
        }

        context.Scan.Consume(CanonicalField.Id);
        var path = context.PathOf(CanonicalField.Id);
        var reader = context.ReaderAt(CanonicalField.Id);
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return true;
            case JsonTokenType.String:
                if (!JsonValues.TryReadString(ref reader, path, out var text, out error))
                {
                    return false;
                }

                if (text.Length == 0)
                {
                    error = $"field '{path}': expected a non-empty id, got an empty string";
                    return false;
                }

                id = text;
                return true;
            case JsonTokenType.Number when IsInteger(reader.ValueSpan):
                id = Encoding.UTF8.GetString(reader.ValueSpan);
                return true;
            default:
                error = FieldErrors.Expected(path, "a string or an integer", reader.TokenType);
                return false;
        }
    }

    private static bool IsInteger(ReadOnlySpan<byte> number) =>
        number.IndexOfAny("."u8) < 0 && number.IndexOfAny("eE"u8) < 0;

    /// <summary>Every top-level value the format did not use, keyed by the input's own names in ordinal order.</summary>
    private static bool TryBuildMetadata(DecodeContext context, out ImmutableSortedDictionary<string, JsonElement> metadata, out string? error)
    {
        metadata = ChatRecord.EmptyMetadata;
        error = null;
        var scan = context.Scan;
        if (!scan.HasUnconsumedFields && scan.Others.Count == 0)
        {
            return true;
        }

        var builder = ImmutableSortedDictionary.CreateBuilder<string, JsonElement>(StringComparer.Ordinal);
        for (var i = 0; i < CanonicalFields.Count; i++)
        {
            var field = (CanonicalField)i;
            if (scan.Has(field) && !scan.IsConsumed(field))
            {
                var reader = context.ReaderAt(field);
                var value = JsonElement.ParseValue(ref reader);
                if (CannotBeWritten(value, context.Mapping.KeyOf(field), out error))
                {
                    return false;
                }

                builder.Add(context.Mapping.KeyOf(field), value);
            }
        }

        foreach (var (key, value) in scan.Others)
        {
            if (IsMetadataObject(key, value))
            {
                continue;
            }

            if (!builder.TryAdd(key, value))
            {
                error = $"field '{key}': appears more than once";
                return false;
            }

            if (CannotBeWritten(value, key, out error))
            {
                return false;
            }
        }

        foreach (var (key, value) in scan.Others)
        {
            if (!IsMetadataObject(key, value))
            {
                continue;
            }

            if (UnpairedSurrogates.Find(value, MetadataKey) is { } unpaired)
            {
                error = UnpairedSurrogate(unpaired);
                return false;
            }

            // Curation's own outputs nest the metadata under "metadata"; reading it back flat keeps a second run
            // from nesting it again.
            foreach (var property in value.EnumerateObject())
            {
                if (!builder.TryAdd(property.Name, property.Value))
                {
                    error = $"field '{MetadataKey}.{property.Name}': the key also appears outside '{MetadataKey}' or twice in it";
                    return false;
                }

                if (CannotBeWritten(property.Value, $"{MetadataKey}.{property.Name}", out error))
                {
                    return false;
                }
            }
        }

        metadata = builder.ToImmutable();
        return true;
    }

    /// <summary>
    /// A value kept as metadata that could not be written out as read: a key repeated anywhere inside it (the output
    /// would hold it twice), or a string or key in it with half a surrogate pair (UTF-8 cannot hold it).
    /// </summary>
    private static bool CannotBeWritten(JsonElement value, string path, out string? error)
    {
        var unpaired = UnpairedSurrogates.Find(value, path);
        error = unpaired is not null ? UnpairedSurrogate(unpaired)
            : value.ValueKind is JsonValueKind.Object or JsonValueKind.Array && RepeatedKeys.Find(value, path) is { } repeated ? $"field '{repeated}': appears more than once"
            : null;
        return error is not null;
    }

    private static string UnpairedSurrogate(string path) =>
        $"field '{path}': a string or key in it holds an unpaired surrogate escape (\\uD800-\\uDFFF) and is not valid text";

    private static bool IsMetadataObject(string key, JsonElement value) =>
        value.ValueKind == JsonValueKind.Object && string.Equals(key, MetadataKey, StringComparison.Ordinal);

    /// <summary>The message of a reader's error item: an object whose only key is "$error", with a string value.</summary>
    private static string? ReaderError(TopLevelScan scan)
    {
        if (scan.Others.Count != 1 || !string.Equals(scan.Others[0].Key, ReadRules.ReaderErrorKey, StringComparison.Ordinal))
        {
            return null;
        }

        for (var i = 0; i < CanonicalFields.Count; i++)
        {
            if (scan.Has((CanonicalField)i))
            {
                return null;
            }
        }

        var value = scan.Others[0].Value;
        return value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }

    private string DescribeUnknownShape(TopLevelScan scan)
    {
        var keys = scan.KeyNames(_mapping);
        const int MaxKeys = 20;
        var listed = keys.Count == 0
            ? "none"
            : string.Join(", ", keys.Take(MaxKeys).Select(key => $"'{key}'"))
                + (keys.Count > MaxKeys ? $" and {keys.Count - MaxKeys} more" : string.Empty);
        return $"no known record shape; keys present: {listed}; expected '{Key(CanonicalField.Messages)}' (openai), "
            + $"'{Key(CanonicalField.Conversations)}' (sharegpt), '{Key(CanonicalField.Instruction)}' + '{Key(CanonicalField.Output)}' (alpaca), "
            + $"'{Key(CanonicalField.Prompt)}' + '{Key(CanonicalField.Response)}' (prompt/completion) or '{Key(CanonicalField.Text)}' (text); "
            + "map other key names under fields: (for example prompt: question, response: answer)";
    }

    private string Key(CanonicalField field) => _mapping.KeyOf(field);

    private static Envelope Reject(long sequence, in RawItem item, string rule, string detail, bool rawBase64 = false)
    {
        var bytes = item.Utf8Json.Span;
        var reject = rawBase64
            ? new Reject(PipelineRunner.ReadStageName, rule, detail, item.Source) { RawBase64 = Convert.ToBase64String(bytes) }
            : new Reject(PipelineRunner.ReadStageName, rule, detail, item.Source) { RawText = Encoding.UTF8.GetString(bytes) };
        return Envelope.Rejected(sequence, reject);
    }
}
