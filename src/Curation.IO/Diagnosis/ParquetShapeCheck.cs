using Curation.Core.Config;
using Curation.Core.Records;
using Curation.IO.Formats;
using Parquet;
using Parquet.Schema;

namespace Curation.IO.Diagnosis;

/// <summary>
/// Compares a Parquet file's columns with what the record shape needs (the configured format, else the one its
/// column names point to), and names the first column of the wrong type or the missing one.
/// </summary>
internal static class ParquetShapeCheck
{
    private const string Turns = "a list of {role, content} structs";

    public static string? Explain(string path, InputOptions options)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        ParquetSchema schema;
        try
        {
            // Only the footer is read; a diagnosis is asked for once a run is over, with nothing else to wait for.
            schema = ReadSchemaAsync(file).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Not Parquet at all: the reader already failed the run saying so.
            return null;
        }

        return Explain(schema, options);
    }

    private static async Task<ParquetSchema> ReadSchemaAsync(Stream file)
    {
        var reader = await ParquetReader.CreateAsync(file, leaveStreamOpen: true).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            return reader.Schema;
        }
    }

    internal static string? Explain(ParquetSchema schema, InputOptions options)
    {
        var mapping = FieldMapping.Create(options.Fields, options.Path);
        var columns = schema.Fields.ToDictionary(field => field.Name, StringComparer.Ordinal);
        Field? Column(CanonicalField field) => columns.GetValueOrDefault(mapping.KeyOf(field));

        var shape = options.Format != InputFormat.Auto ? options.Format
            : Column(CanonicalField.Messages) is not null ? InputFormat.OpenAi
            : Column(CanonicalField.Conversations) is not null ? InputFormat.ShareGpt
            : Column(CanonicalField.Instruction) is not null ? InputFormat.Alpaca
            : Column(CanonicalField.Prompt) is not null ? InputFormat.PromptCompletion
            : Column(CanonicalField.Text) is not null ? InputFormat.Text
            : (InputFormat?)null;
        if (shape is null)
        {
            var listed = string.Join(", ", schema.Fields.Take(12).Select(field => $"'{field.Name}' ({ParquetTypeNames.Of(field)})"));
            return $"no column holds a known record shape (columns: {listed}); expected '{mapping.KeyOf(CanonicalField.Messages)}' (openai), "
                + $"'{mapping.KeyOf(CanonicalField.Conversations)}' (sharegpt), '{mapping.KeyOf(CanonicalField.Instruction)}' + '{mapping.KeyOf(CanonicalField.Output)}' (alpaca), "
                + $"'{mapping.KeyOf(CanonicalField.Prompt)}' + '{mapping.KeyOf(CanonicalField.Response)}' (prompt-completion) or '{mapping.KeyOf(CanonicalField.Text)}' (text); "
                + "map other names under fields:";
        }

        (CanonicalField Field, bool Required, Func<Field, bool> Fits, string Expected)[] needs = shape switch
        {
            InputFormat.OpenAi => [(CanonicalField.Messages, true, field => IsTurnList(field, ["role"], ["content"]), Turns)],
            InputFormat.ShareGpt => [(CanonicalField.Conversations, true, field => IsTurnList(field, ["from", "role"], ["value", "content"]), "a list of {from, value} structs")],
            InputFormat.Alpaca =>
            [
                (CanonicalField.Instruction, true, ParquetTypeNames.IsText, "a string"),
                (CanonicalField.Output, true, ParquetTypeNames.IsText, "a string"),
                (CanonicalField.Input, false, ParquetTypeNames.IsText, "a string"),
                (CanonicalField.History, false, IsPairList, "a list of [prompt, response] string lists"),
            ],
            InputFormat.PromptCompletion =>
            [
                (CanonicalField.Prompt, true, ParquetTypeNames.IsText, "a string"),
                (CanonicalField.Response, true, ParquetTypeNames.IsText, "a string"),
            ],
            _ => [(CanonicalField.Text, true, ParquetTypeNames.IsText, "a string")],
        };

        foreach (var (field, required, fits, expected) in needs.Append((CanonicalField.System, false, ParquetTypeNames.IsText, "a string")))
        {
            var key = mapping.KeyOf(field);
            if (Column(field) is not { } column)
            {
                if (required)
                {
                    return $"no column '{key}', which {ConfigNames.ForEnumValue(shape.Value)} records need; map the column that holds it under fields: ({CanonicalFields.NameOf(field)}: <column>)";
                }

                continue;
            }

            if (!fits(column))
            {
                return $"column '{key}' is {ParquetTypeNames.Of(column)}; expected {expected}";
            }
        }

        return null;
    }

    /// <summary>A list whose items are structs (or string maps) with a speaker field and a text field.</summary>
    private static bool IsTurnList(Field field, string[] speakers, string[] texts)
    {
        if (field is not ListField { Item: var item })
        {
            return false;
        }

        if (item is MapField map)
        {
            return ParquetTypeNames.IsText(map.Key);
        }

        if (item is not StructField turn)
        {
            return false;
        }

        var members = turn.Fields.ToDictionary(member => member.Name, StringComparer.Ordinal);
        return speakers.Any(name => members.TryGetValue(name, out var speaker) && ParquetTypeNames.IsText(speaker))
            && texts.Any(name => members.TryGetValue(name, out var text) && (ParquetTypeNames.IsText(text) || IsTextParts(text)));
    }

    /// <summary>Content as a list of {type, text} parts.</summary>
    private static bool IsTextParts(Field field) =>
        field is ListField { Item: StructField part } && part.Fields.Any(member => member.Name == "text" && ParquetTypeNames.IsText(member));

    private static bool IsPairList(Field field) =>
        field is ListField { Item: ListField { Item: var inner } } && ParquetTypeNames.IsText(inner);
}
