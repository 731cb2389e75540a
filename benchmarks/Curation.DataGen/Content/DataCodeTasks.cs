using Curation.DataGen.Text;

namespace Curation.DataGen.Content;

/// <summary>Programming questions about transforming collections of records, answered with code.</summary>
internal static class DataCodeTasks
{
    public static (string Question, string Answer) FilterSort(DeterministicRandom rng, CodeEntity e, string language)
    {
        var threshold = CodeSample.Threshold(rng, e);
        var rows = CodeSample.Rows(rng, e);
        var v = e.Singular[..1];
        var fn = e.Plural + "_above";
        var question = CodeSample.Context(rng, language) + (rng.Next(3) switch
        {
            0 => $"How do I get all {e.Plural} with {e.NumberWords} greater than {Fmt.I(threshold)}, sorted from highest to lowest, in {language}?",
            1 => $"In {language}, I need to filter a list of {e.Plural} to the ones whose {e.NumberWords} is over {Fmt.I(threshold)} and sort them descending by {e.NumberWords}. What's the cleanest way?",
            _ => $"Write a {language} function that takes a list of {e.Plural} and a minimum {e.NumberWords}, keeps the {e.Plural} above that minimum and returns them ordered by {e.NumberWords}, largest first.",
        });
        string code;
        string notes;
        switch (language)
        {
            case "Python":
                code = $$""""
                    from dataclasses import dataclass


                    @dataclass
                    class {{e.TypeName}}:
                        id: int
                        {{e.Key}}: str
                        {{e.Number}}: float


                    def {{fn}}({{e.Plural}}: list[{{e.TypeName}}], min_{{e.Number}}: float) -> list[{{e.TypeName}}]:
                        """Return the {{e.Plural}} whose {{e.NumberWords}} is above min_{{e.Number}}, largest first."""
                        selected = [{{v}} for {{v}} in {{e.Plural}} if {{v}}.{{e.Number}} > min_{{e.Number}}]
                        return sorted(selected, key=lambda {{v}}: {{v}}.{{e.Number}}, reverse=True)


                    if __name__ == "__main__":
                        {{e.Plural}} = [
                            {{e.TypeName}}(1, "{{rows[0].Key}}", {{rows[0].Number}}),
                            {{e.TypeName}}(2, "{{rows[1].Key}}", {{rows[1].Number}}),
                            {{e.TypeName}}(3, "{{rows[2].Key}}", {{rows[2].Number}}),
                        ]
                        for {{v}} in {{fn}}({{e.Plural}}, {{threshold}}):
                            print({{v}}.id, {{v}}.{{e.Number}})
                    """";
                notes = $"""
                    - The list comprehension keeps only the {e.Plural} above the threshold; the original list is left untouched.
                    - `sorted(..., reverse=True)` returns a new list ordered by `{e.Number}`, largest first. Python's sort is stable, so {e.Plural} with equal values keep their input order.
                    """;
                break;
            case "JavaScript":
                code = $$"""
                    function {{CodeEntity.Camel(fn)}}({{e.Plural}}, min{{e.NumberPascal}}) {
                      return {{e.Plural}}
                        .filter(({{e.Singular}}) => {{e.Singular}}.{{e.NumberCamel}} > min{{e.NumberPascal}})
                        .sort((a, b) => b.{{e.NumberCamel}} - a.{{e.NumberCamel}});
                    }

                    const {{e.Plural}} = [
                      { id: 1, {{e.KeyCamel}}: "{{rows[0].Key}}", {{e.NumberCamel}}: {{rows[0].Number}} },
                      { id: 2, {{e.KeyCamel}}: "{{rows[1].Key}}", {{e.NumberCamel}}: {{rows[1].Number}} },
                      { id: 3, {{e.KeyCamel}}: "{{rows[2].Key}}", {{e.NumberCamel}}: {{rows[2].Number}} },
                    ];

                    console.log({{CodeEntity.Camel(fn)}}({{e.Plural}}, {{threshold}}));
                    """;
                notes = $"""
                    - `filter` returns a new array, so the `sort` afterwards does not reorder your original `{e.Plural}` array (`sort` sorts in place).
                    - The comparator `b.{e.NumberCamel} - a.{e.NumberCamel}` gives descending order; swap `a` and `b` for ascending.
                    """;
                break;
            case "C#":
                code = $$"""
                    public sealed record {{e.TypeName}}(int Id, string {{e.KeyPascal}}, decimal {{e.NumberPascal}});

                    public static class {{e.TypeName}}Queries
                    {
                        public static IReadOnlyList<{{e.TypeName}}> {{CodeEntity.Pascal(fn)}}(IEnumerable<{{e.TypeName}}> {{e.Plural}}, decimal min{{e.NumberPascal}}) =>
                            {{e.Plural}}
                                .Where({{v}} => {{v}}.{{e.NumberPascal}} > min{{e.NumberPascal}})
                                .OrderByDescending({{v}} => {{v}}.{{e.NumberPascal}})
                                .ToList();
                    }
                    """;
                notes = $"""
                    - `Where` and `OrderByDescending` are LINQ operators; nothing runs until `ToList()` materialises the result.
                    - `decimal` avoids rounding surprises if `{e.NumberPascal}` holds money. Use `double` for measurements.
                    - Call it as `{e.TypeName}Queries.{CodeEntity.Pascal(fn)}({e.Plural}, {threshold}m)`.
                    """;
                break;
            default:
                code = $$"""
                    package {{e.Plural}}

                    import "sort"

                    type {{e.TypeName}} struct {
                    {{CodeSample.GoFields(("ID", "int"), (e.KeyPascal, "string"), (e.NumberPascal, "float64"))}}
                    }

                    // {{CodeEntity.Pascal(fn)}} returns the {{e.Plural}} whose {{e.NumberWords}} exceeds min, largest first.
                    func {{CodeEntity.Pascal(fn)}}({{e.Plural}} []{{e.TypeName}}, min float64) []{{e.TypeName}} {
                    	selected := make([]{{e.TypeName}}, 0, len({{e.Plural}}))
                    	for _, {{v}} := range {{e.Plural}} {
                    		if {{v}}.{{e.NumberPascal}} > min {
                    			selected = append(selected, {{v}})
                    		}
                    	}
                    	sort.Slice(selected, func(i, j int) bool {
                    		return selected[i].{{e.NumberPascal}} > selected[j].{{e.NumberPascal}}
                    	})
                    	return selected
                    }
                    """;
                notes = """
                    - The function copies matching elements into a new slice, so the caller's slice keeps its order.
                    - `sort.Slice` is not stable; use `sort.SliceStable` if equal values must keep their input order.
                    """;
                break;
        }

        return (question, Answer(rng, language, code, notes));
    }

    public static (string Question, string Answer) GroupSum(DeterministicRandom rng, CodeEntity e, string language)
    {
        var question = CodeSample.Context(rng, language) + (rng.Next(3) switch
        {
            0 => $"How can I group {e.Plural} by {e.KeyWords} and add up the {e.NumberWords} for each group in {language}?",
            1 => $"I have a list of {e.Plural}. In {language}, how do I get the total {e.NumberWords} per {e.KeyWords}?",
            _ => $"What's the {language} equivalent of SQL's `SELECT {e.Key}, SUM({e.Number}) FROM {e.Plural} GROUP BY {e.Key}` on an in-memory list?",
        });
        var v = e.Singular[..1];
        string code;
        string notes;
        switch (language)
        {
            case "Python":
                code = $$"""
                    from collections import defaultdict


                    def total_{{e.Number}}_by_{{e.Key}}({{e.Plural}}):
                        totals = defaultdict(float)
                        for {{v}} in {{e.Plural}}:
                            totals[{{v}}["{{e.Key}}"]] += {{v}}["{{e.Number}}"]
                        return dict(totals)


                    {{e.Plural}} = [
                        {"{{e.Key}}": "{{e.KeyValues[0]}}", "{{e.Number}}": {{rng.Between(e.Low, e.High)}}},
                        {"{{e.Key}}": "{{e.KeyValues[1]}}", "{{e.Number}}": {{rng.Between(e.Low, e.High)}}},
                        {"{{e.Key}}": "{{e.KeyValues[0]}}", "{{e.Number}}": {{rng.Between(e.Low, e.High)}}},
                    ]
                    print(total_{{e.Number}}_by_{{e.Key}}({{e.Plural}}))
                    """;
                notes = $"""
                    - `defaultdict(float)` starts every new {e.KeyWords} at 0.0, so there's no need to check whether the key exists.
                    - If the data is already in a pandas DataFrame, `df.groupby("{e.Key}")["{e.Number}"].sum()` does the same thing.
                    """;
                break;
            case "JavaScript":
                code = $$"""
                    function total{{e.NumberPascal}}By{{e.KeyPascal}}({{e.Plural}}) {
                      const totals = {};
                      for (const {{e.Singular}} of {{e.Plural}}) {
                        totals[{{e.Singular}}.{{e.KeyCamel}}] = (totals[{{e.Singular}}.{{e.KeyCamel}}] ?? 0) + {{e.Singular}}.{{e.NumberCamel}};
                      }
                      return totals;
                    }
                    """;
                notes = $"""
                    - `?? 0` gives each new {e.KeyWords} a starting total of zero.
                    - In recent runtimes you can also write `Object.groupBy({e.Plural}, (x) => x.{e.KeyCamel})` and then sum each group, but the loop above works everywhere and makes a single pass.
                    """;
                break;
            case "C#":
                code = $$"""
                    var totals = {{e.Plural}}
                        .GroupBy({{v}} => {{v}}.{{e.KeyPascal}})
                        .ToDictionary(group => group.Key, group => group.Sum({{v}} => {{v}}.{{e.NumberPascal}}));

                    foreach (var (key, total) in totals)
                    {
                        Console.WriteLine($"{key}: {total}");
                    }
                    """;
                notes = $"""
                    - `GroupBy` buckets the {e.Plural} by `{e.KeyPascal}`, and `ToDictionary` turns each bucket into a key and its sum.
                    - For a very large sequence, a single loop that adds into a `Dictionary<string, decimal>` avoids building the groups in memory.
                    """;
                break;
            default:
                code = $$"""
                    func Total{{e.NumberPascal}}By{{e.KeyPascal}}({{e.Plural}} []{{e.TypeName}}) map[string]float64 {
                    	totals := make(map[string]float64)
                    	for _, {{v}} := range {{e.Plural}} {
                    		totals[{{v}}.{{e.KeyPascal}}] += {{v}}.{{e.NumberPascal}}
                    	}
                    	return totals
                    }
                    """;
                notes = """
                    - Reading a missing key from a Go map returns the zero value, so `+=` works without initialising each key first.
                    - Map iteration order is random in Go. If you print the totals, sort the keys first for stable output.
                    """;
                break;
        }

        return (question, Answer(rng, language, code, notes));
    }

    public static (string Question, string Answer) CsvAverage(DeterministicRandom rng, CodeEntity e, string language)
    {
        var file = e.Plural + "_" + Fmt.I(rng.Between(2019, 2025)) + ".csv";
        var question = CodeSample.Context(rng, language) + (rng.Next(2) == 0
            ? $"How do I read `{file}` in {language} and calculate the average of the `{e.Number}` column?"
            : $"I have a CSV export called {file} with a header row. What's a simple {language} way to get the mean {e.NumberWords}, skipping rows where it's empty?");
        string code;
        string notes;
        switch (language)
        {
            case "Python":
                code = $$"""
                    import csv
                    from statistics import mean


                    def average_{{e.Number}}(path: str) -> float:
                        with open(path, newline="", encoding="utf-8") as handle:
                            values = [
                                float(row["{{e.Number}}"])
                                for row in csv.DictReader(handle)
                                if row["{{e.Number}}"].strip()
                            ]
                        if not values:
                            raise ValueError(f"no {{e.Number}} values in {path}")
                        return mean(values)


                    print(f"{average_{{e.Number}}('{{file}}'):.2f}")
                    """;
                notes = """
                    - `newline=""` is what the csv module expects; it handles quoted fields that contain line breaks.
                    - Empty cells are skipped, and an empty file raises a clear error instead of `StatisticsError`.
                    """;
                break;
            case "C#":
                code = $$"""
                    using System.Globalization;

                    var values = File.ReadLines("{{file}}")
                        .Skip(1)
                        .Select(line => line.Split(',')[{{rng.Between(1, 4)}}])
                        .Where(cell => !string.IsNullOrWhiteSpace(cell))
                        .Select(cell => double.Parse(cell, CultureInfo.InvariantCulture))
                        .ToList();

                    Console.WriteLine(values.Count == 0 ? "no values" : values.Average().ToString("F2", CultureInfo.InvariantCulture));
                    """;
                notes = $"""
                    - `File.ReadLines` streams the file instead of loading it all at once.
                    - Parsing with `CultureInfo.InvariantCulture` matters: on a machine set to German or French, `double.Parse("1.5")` would fail or misread the value.
                    - `Split(',')` is fine for simple exports. If any cell can contain a quoted comma, use a CSV library such as CsvHelper instead.
                    """;
                break;
            default:
                code = $$"""
                    func Average{{e.NumberPascal}}(path string) (float64, error) {
                    	f, err := os.Open(path)
                    	if err != nil {
                    		return 0, err
                    	}
                    	defer f.Close()

                    	records, err := csv.NewReader(f).ReadAll()
                    	if err != nil {
                    		return 0, err
                    	}
                    	col := slices.Index(records[0], "{{e.Number}}")
                    	if col < 0 {
                    		return 0, fmt.Errorf("%s: no {{e.Number}} column", path)
                    	}
                    	var sum float64
                    	var n int
                    	for _, rec := range records[1:] {
                    		v, err := strconv.ParseFloat(strings.TrimSpace(rec[col]), 64)
                    		if err != nil {
                    			continue
                    		}
                    		sum += v
                    		n++
                    	}
                    	if n == 0 {
                    		return 0, fmt.Errorf("%s: no numeric {{e.Number}} values", path)
                    	}
                    	return sum / float64(n), nil
                    }
                    """;
                notes = """
                    - The column is found by its header name, so the code keeps working if the export's column order changes.
                    - Cells that don't parse as numbers (including empty ones) are skipped. Log them if you need to know how many there were.
                    - `ReadAll` loads the whole file; for very large files, call `Read` in a loop instead.
                    """;
                break;
        }

        return (question, Answer(rng, language, code, notes));
    }

    public static (string Question, string Answer) Chunk(DeterministicRandom rng, CodeEntity e, string language)
    {
        var size = rng.PickOne(25, 50, 100, 200, 500, 1000);
        var question = CodeSample.Context(rng, language) + (rng.Next(2) == 0
            ? $"Our bulk API accepts at most {size} {e.Plural} per request. How do I split a list into batches of {size} in {language}?"
            : $"In {language}, what's the best way to chunk a big list of {e.Plural} into groups of {size}?");
        string code;
        string notes;
        switch (language)
        {
            case "Python":
                code = $$"""
                    from itertools import islice


                    def batched(items, size={{size}}):
                        iterator = iter(items)
                        while batch := list(islice(iterator, size)):
                            yield batch


                    for batch in batched({{e.Plural}}):
                        client.bulk_upload(batch)
                    """;
                notes = """
                    - This works with any iterable, including generators, and never holds more than one batch in memory.
                    - On Python 3.12+ you can use `itertools.batched(items, size)` directly; it yields tuples instead of lists.
                    """;
                break;
            case "JavaScript":
                code = $$"""
                    function chunk(items, size = {{size}}) {
                      const batches = [];
                      for (let i = 0; i < items.length; i += size) {
                        batches.push(items.slice(i, i + size));
                      }
                      return batches;
                    }

                    for (const batch of chunk({{e.Plural}})) {
                      await api.bulkUpload(batch);
                    }
                    """;
                notes = """
                    - `slice` never goes past the end of the array, so the last batch is simply shorter.
                    - The `await` inside `for...of` sends batches one at a time. Use `Promise.all` with a small concurrency limit if the API allows parallel requests.
                    """;
                break;
            case "C#":
                code = $$"""
                    foreach ({{e.TypeName}}[] batch in {{e.Plural}}.Chunk({{size}}))
                    {
                        await client.BulkUploadAsync(batch, cancellationToken);
                    }
                    """;
                notes = """
                    - `Enumerable.Chunk` (since .NET 6) yields arrays of the given size, with a shorter last one.
                    - It is lazy, so it also works on a streamed `IEnumerable` without loading everything first.
                    """;
                break;
            default:
                code = $$"""
                    func Chunk[T any](items []T, size int) [][]T {
                    	var batches [][]T
                    	for size < len(items) {
                    		items, batches = items[size:], append(batches, items[:size:size])
                    	}
                    	return append(batches, items)
                    }

                    // usage
                    for _, batch := range Chunk({{e.Plural}}, {{size}}) {
                    	if err := client.BulkUpload(ctx, batch); err != nil {
                    		return err
                    	}
                    }
                    """;
                notes = """
                    - The full slice expression `items[:size:size]` caps each batch's capacity, so appending to one batch can't overwrite the next.
                    - Go 1.23 added `slices.Chunk`, which returns an iterator instead of allocating the outer slice.
                    """;
                break;
        }

        return (question, Answer(rng, language, code, notes));
    }

    public static (string Question, string Answer) Dedupe(DeterministicRandom rng, CodeEntity e, string language)
    {
        var question = CodeSample.Context(rng, language) + (rng.Next(2) == 0
            ? $"How do I remove duplicate {e.Plural} (same id) from a list in {language} but keep the original order?"
            : $"My list of {e.Plural} has repeats with the same id. In {language}, how can I keep only the first occurrence of each?");
        string code;
        string notes;
        switch (language)
        {
            case "Python":
                code = $$"""
                    def unique_by_id({{e.Plural}}):
                        seen = set()
                        result = []
                        for item in {{e.Plural}}:
                            if item["id"] not in seen:
                                seen.add(item["id"])
                                result.append(item)
                        return result
                    """;
                notes = """
                    - A set gives O(1) membership checks, so this stays linear even for large lists.
                    - For plain hashable values (not dicts), `list(dict.fromkeys(values))` does the same in one line, also preserving order.
                    """;
                break;
            case "JavaScript":
                code = $$"""
                    function uniqueById({{e.Plural}}) {
                      const seen = new Set();
                      return {{e.Plural}}.filter(({{e.Singular}}) => {
                        if (seen.has({{e.Singular}}.id)) return false;
                        seen.add({{e.Singular}}.id);
                        return true;
                      });
                    }
                    """;
                notes = """
                    - `Set` lookups are constant time, so this is linear in the length of the list.
                    - To keep the last occurrence instead, build a `Map` keyed by id and take `[...map.values()]`.
                    """;
                break;
            default:
                code = $$"""
                    var unique = {{e.Plural}}
                        .DistinctBy({{e.Singular[..1]}} => {{e.Singular[..1]}}.Id)
                        .ToList();
                    """;
                notes = """
                    - `DistinctBy` (since .NET 6) keeps the first element for each key and preserves the input order.
                    - On older frameworks, use a `HashSet<int>` and `Where(x => seen.Add(x.Id))`.
                    """;
                break;
        }

        return (question, Answer(rng, language, code, notes));
    }

    public static (string Question, string Answer) MovingAverage(DeterministicRandom rng, CodeEntity e, string language)
    {
        var window = rng.PickOne(3, 5, 7, 10, 12, 24, 30);
        var question = CodeSample.Context(rng, language) + $"How can I compute a {window}-point moving average of the {e.NumberWords} values in {language}? The series is already sorted by time.";
        string code;
        string notes;
        if (language == "Python")
        {
            code = $$"""
                from collections import deque


                def moving_average(values, window={{window}}):
                    buffer = deque(maxlen=window)
                    total = 0.0
                    for value in values:
                        if len(buffer) == window:
                            total -= buffer[0]
                        buffer.append(value)
                        total += value
                        if len(buffer) == window:
                            yield total / window
                """;
            notes = $"""
                - The running total is updated in O(1) per value instead of summing the whole window each time.
                - The first {window - 1} values don't produce an output, because the window isn't full yet.
                - With pandas: `df["{e.Number}"].rolling({window}).mean()`.
                """;
        }
        else
        {
            code = $$"""
                function movingAverage(values, window = {{window}}) {
                  const result = [];
                  let total = 0;
                  for (let i = 0; i < values.length; i++) {
                    total += values[i];
                    if (i >= window) total -= values[i - window];
                    if (i >= window - 1) result.push(total / window);
                  }
                  return result;
                }
                """;
            notes = $"""
                - Keeping a running total makes this O(n), no matter how large the window is.
                - The output has `values.length - {window - 1}` elements; pad the start with `null` if you need the arrays aligned for a chart.
                """;
        }

        return (question, Answer(rng, language, code, notes));
    }

    public static string Answer(DeterministicRandom rng, string language, string code, string notes)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var closing = rng.Next(5) switch
        {
            0 => "\n\nLet me know if you want a version with type hints or tests.",
            1 => "\n\nIf performance matters, measure with realistic data sizes before optimising further.",
            _ => string.Empty,
        };
        return $"""
            {CodeSample.Intro(rng, language)}

            ```{CodeSample.Fence(language)}
            {code}
            ```

            How it works:
            {notes}
            """ + closing;
    }
}
