using System.Globalization;
using System.Text;
using Curation.DataGen.Model;

namespace Curation.DataGen.Sample;

/// <summary>Writes the sample's README: what each file holds and exactly what was planted where.</summary>
internal static class ReadmeWriter
{
    private static readonly Dictionary<string, string> Descriptions = new(StringComparer.Ordinal)
    {
        ["openai/support.jsonl"] = "OpenAI `messages` with `id` and `category`, Python `json.dumps` style (`\": \"` separators, non-ASCII as `\\uXXXX`); customer support, system prompts, multi-turn, some `weight: 0`",
        ["openai/code-help.jsonl.gz"] = "OpenAI `messages` with `id`, gzip; programming help in Python, JavaScript, C# and Go with indented code fences",
        ["openai/sql.jsonl.zst"] = "OpenAI `messages` with `id`, zstd; text-to-SQL with the schema in the system prompt or the question",
        ["alpaca/instructions.json"] = "JSON array of `{instruction, input, output}`, Python `indent=2`; math word problems, meeting-note summaries, translation",
        ["alpaca/more.jsonl"] = "Alpaca JSONL, some with `system` and `history`; math follow-ups, incident summaries, emails, translation",
        ["sharegpt/conversations.jsonl"] = "ShareGPT `{id, conversations: [{from, value}]}`; multi-turn Linux administration",
        ["prompt-completion/qa.jsonl"] = "`{prompt, completion}`; git, Docker and HTTP questions, quick calculations",
        ["csv/faq.csv"] = "Spreadsheet export with header `question,answer,category`: UTF-8 BOM, CRLF records, multi-line quoted cells, embedded quotes and commas; map `prompt: question`, `response: answer`",
        ["csv/glossary.tsv"] = "Tab-separated `term\\tdefinition\\tdomain`, LF, no quoting needed; map `prompt: term`, `response: definition`",
        ["parquet/warehouse.parquet"] = $"Parquet (Parquet.Net): `id` string, `messages` list of struct `{{role, content}}`, `source` string; {ParquetRows.RowGroupSize} rows per row group; spreadsheet formulas, pandas, meeting-note summaries",
        ["text/notes.jsonl"] = "`{text}`; release notes, weekly status updates, incident write-ups",
    };

    public static string Write(IReadOnlyList<SampleFile> files, IReadOnlyDictionary<string, long> sizes, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(sizes);
        var text = new StringBuilder();
        var total = files.Sum(f => f.Entries.Count);
        text.Append(CultureInfo.InvariantCulture, $"""
            # Sample dataset

            Realistic fine-tuning examples in every input format Curation reads: customer support, programming help, SQL,
            math word problems, summarisation, translation, Linux administration, spreadsheets and pandas, release notes.
            {total} records in {files.Count} files, with problems planted at known positions so that every reject, filter and
            duplicate count of a pipeline run can be checked against this page.

            Generated, not hand-edited. To regenerate (same seed, byte-identical files):

            ```bash
            dotnet run --project benchmarks/Curation.DataGen -c Release -- sample --out datasets-sample --seed {seed}
            ```

            ## Files

            | File | Records | Clean | Size | Contents | Planted |
            |---|---:|---:|---:|---|---|

            """);
        foreach (var file in files)
        {
            var planted = file.Entries.Where(e => e.Issue is not null).GroupBy(e => e.Issue!.Value).OrderBy(g => g.Key)
                .Select(g => $"{IssueCatalog.Name(g.Key)} {g.Count()}");
            text.Append(CultureInfo.InvariantCulture, $"| `{file.Path}` | {file.Entries.Count} | {file.Entries.Count(e => e.Issue is null)} | {Kb(sizes[file.Path])} | {Descriptions[file.Path]} | {string.Join(", ", planted)} |\n");
        }

        text.Append("""

            "Records" counts lines (JSONL), array elements (JSON), data rows (CSV, TSV, Parquet). "Clean" records are the
            ones with nothing planted; the generator checks each of them (see below) before writing.

            ## Planted issues

            | Issue | Count | What it is |
            |---|---:|---|

            """);
        foreach (var issue in Enum.GetValues<PlantedIssue>())
        {
            var count = files.Sum(f => f.Entries.Count(e => e.Issue == issue));
            if (count > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"| {IssueCatalog.Name(issue)} | {count} | {IssueCatalog.Description(issue)} |\n");
            }
        }

        var plantedTotal = files.Sum(f => f.Entries.Count(e => e.Issue is not null));
        text.Append(CultureInfo.InvariantCulture, $"| **total** | **{plantedTotal}** | One issue per planted record. |\n");
        text.Append(Notes(files));
        text.Append("""

            ## Planted records

            Positions are 1-based: line of a JSONL file (after decompression), element of a JSON array, data row of a CSV,
            TSV or Parquet file (header not counted). A copy always comes after the record it copies.

            | File | Position | Issue | Detail |
            |---|---|---|---|

            """);
        foreach (var file in files)
        {
            foreach (var entry in file.Entries.Where(e => e.Issue is not null))
            {
                text.Append(CultureInfo.InvariantCulture, $"| `{file.Path}` | {file.PositionText(entry)} | {IssueCatalog.Name(entry.Issue!.Value)} | {Cell(file.DescribePlant(entry))} |\n");
            }
        }

        return text.ToString();
    }

    private static string Notes(IReadOnlyList<SampleFile> files)
    {
        var conversations = files.SelectMany(f => f.Entries).Where(e => e.Issue is null && e.Conversation is not null).Select(e => e.Conversation!).ToList();
        var multiTurn = conversations.Count(c => c.Turns.Count(t => t.Role == Roles.User) > 1);
        var withSystem = conversations.Count(c => c.System is not null);
        var weighted = conversations.Count(c => c.Turns.Any(t => t.Weight == 0));
        var idFiles = files.Where(f => f.IdPrefix is not null).ToList();
        var withoutId = idFiles.Sum(f => f.Entries.Count(e => e.Issue is null && e.Id is null));
        var patterns = string.Join(", ", CleanRecordCheck.Patterns.Select(p => $"{p.Name} `{p.Pattern}`"));
        return string.Create(CultureInfo.InvariantCulture, $"""

            ## Notes

            - Clean records: {multiTurn} are multi-turn, {withSystem} have a system prompt, {weighted} mark their first assistant turn `weight: 0` (the other assistant turns `weight: 1`).
            - Ids (`sup-`, `code-`, `sql-`, `sg-`, `wh-` and six digits) are on most records of {string.Join(", ", idFiles.Select(f => "`" + f.Path + "`"))}; {withoutId} clean records there have none. Exact duplicates repeat the id of the record they copy; every other record has its own.
            - `csv/faq.csv` starts with a UTF-8 byte order mark, as Excel writes it; that BOM is part of the file format and not a planted issue.
            - Cross-format duplicates: `alpaca` copies of `openai` records have an empty `input`; the ShareGPT copies of alpaca records and the prompt/completion copies of ShareGPT records have no system prompt; the Parquet copies of SQL records keep theirs. Converted to chat messages, each copy equals its original.
            - Every clean record alternates user and assistant turns and ends with an assistant turn of {CleanRecordCheck.MinResponseChars} to {CleanRecordCheck.MaxTurnChars:N0} characters, and no clean text contains CR, zero-width characters, U+FEFF, control characters other than newline and tab, combining accents (U+0300 to U+036F), trailing spaces, refusal phrases or the planted boilerplate sentence. No two clean records are identical.
            - No clean text matches these PII patterns (card numbers only when Luhn-valid): {patterns}.
            - Near-duplicates: no two unplanted records reach a Jaccard similarity of {NearDuplicateGuard.Threshold:F1} (word {NearDuplicateGuard.ShingleWords}-gram shingles over lower-cased runs of letters and digits, all message text including system prompts); every planted near-duplicate is at least {SampleFile.MinNearDuplicateSimilarity:F2} similar to its original (the figure is in its detail below). Once normalisation folds case or collapses spaces, case-punctuation and whitespace copies may become exact duplicates of their originals.
            - What a pipeline is expected to do with the planted records depends on its configuration: the dirty-* records are valid and should come out normalised rather than dropped; pii-* records are kept, redacted or dropped according to the PII filter; "customer" and "bot" turns are unknown roles unless a role mapping names them; duplicates keep the first record in input order.
            - Code in responses is indented with spaces (Python, JavaScript, C#) or tabs (Go); normalisation must keep that indentation, also in the records with planted trailing spaces or CRLF.

            """);
    }

    private static string Kb(long bytes) => bytes >= 1_000_000
        ? (bytes / 1_000_000.0).ToString("0.0", CultureInfo.InvariantCulture) + " MB"
        : (bytes / 1000.0).ToString("0", CultureInfo.InvariantCulture) + " KB";

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
