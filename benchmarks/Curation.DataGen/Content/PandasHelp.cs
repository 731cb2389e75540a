using Curation.DataGen.Model;
using Curation.DataGen.Text;

namespace Curation.DataGen.Content;

/// <summary>pandas questions about a concrete DataFrame, answered with code.</summary>
internal sealed class PandasHelp : IConversationSource
{
    private static readonly Func<DeterministicRandom, CodeEntity, (string, string)>[] Makers =
        [GroupAgg, Merge, Pivot, Missing, Resample, DropDuplicates, Shares, Chunks, Vectorize, Bins];

    public Conversation Next(DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var entity = rng.Pick(CodeEntity.All);
        var (question, answer) = rng.Pick(Makers)(rng, entity);
        var system = rng.Chance(0.25) ? "You are a data analyst who writes clear, idiomatic pandas code." : null;
        return new Conversation { System = system, Turns = [Turn.User(question), Turn.Assistant(answer)], Category = "pandas" };
    }

    private static string Df(CodeEntity e) => e.Plural;

    private static (string, string) GroupAgg(DeterministicRandom rng, CodeEntity e)
    {
        var question = $"I have a DataFrame `{Df(e)}` with columns `{e.Key}` and `{e.Number}`. How do I get the count, mean and max of `{e.Number}` per `{e.Key}` with readable column names?";
        var answer = $$"""
            Use named aggregation:

            ```python
            summary = (
                {{Df(e)}}
                .groupby("{{e.Key}}", as_index=False)
                .agg(
                    {{e.Plural}}=("{{e.Number}}", "size"),
                    mean_{{e.Number}}=("{{e.Number}}", "mean"),
                    max_{{e.Number}}=("{{e.Number}}", "max"),
                )
                .sort_values("mean_{{e.Number}}", ascending=False)
            )
            ```

            Each keyword becomes an output column: `name=(column, function)`. `as_index=False` keeps `{{e.Key}}` as a regular column, which is easier to export or merge. Note that `"size"` counts rows including NaN values, while `"count"` skips them.
            """;
        return (question, answer);
    }

    private static (string, string) Merge(DeterministicRandom rng, CodeEntity e)
    {
        var other = rng.PickOne("regions", "owners", "targets", "budgets", "accounts");
        var question = $"How do I join `{Df(e)}` with a `{other}` DataFrame on `{e.Key}`, keep all rows of `{Df(e)}`, and see which ones had no match?";
        var answer = $$"""
            ```python
            merged = {{Df(e)}}.merge({{other}}, on="{{e.Key}}", how="left", indicator=True, validate="many_to_one")
            unmatched = merged[merged["_merge"] == "left_only"]
            print(f"{len(unmatched)} of {len(merged)} {{e.Plural}} have no {{other}} entry")
            ```

            - `how="left"` keeps every row of `{{Df(e)}}`.
            - `indicator=True` adds a `_merge` column with `both`, `left_only` or `right_only`.
            - `validate="many_to_one"` raises an error if `{{e.Key}}` is duplicated in `{{other}}`, which would otherwise silently multiply your rows.
            """;
        return (question, answer);
    }

    private static (string, string) Pivot(DeterministicRandom rng, CodeEntity e)
    {
        var date = rng.PickOne("created_at", "date", "timestamp", "recorded_at");
        var question = $"How can I make a table with months as rows, `{e.Key}` as columns and the sum of `{e.Number}` as values? The date column is `{date}`.";
        var answer = $$"""
            ```python
            {{Df(e)}}["{{date}}"] = pd.to_datetime({{Df(e)}}["{{date}}"])
            table = pd.pivot_table(
                {{Df(e)}},
                index={{Df(e)}}["{{date}}"].dt.to_period("M"),
                columns="{{e.Key}}",
                values="{{e.Number}}",
                aggfunc="sum",
                fill_value=0,
                margins=True,
            )
            ```

            `dt.to_period("M")` turns each date into its month, and `fill_value=0` replaces NaN for months without data. `margins=True` adds an "All" row and column with totals; leave it out if you'll chart the table.
            """;
        return (question, answer);
    }

    private static (string, string) Missing(DeterministicRandom rng, CodeEntity e)
    {
        var pct = rng.Between(2, 30);
        var question = $"About {pct}% of `{e.Number}` values in `{Df(e)}` are missing. Should I drop those rows or fill them?";
        var answer = $$"""
            It depends on why they're missing. Start by looking:

            ```python
            {{Df(e)}}["{{e.Number}}"].isna().mean()
            {{Df(e)}}.groupby("{{e.Key}}")["{{e.Number}}"].apply(lambda s: s.isna().mean())
            ```

            If the missing share differs a lot between `{{e.Key}}` groups, dropping rows will bias your results. Options:

            ```python
            # 1. Drop, if missing values are rare and random
            clean = {{Df(e)}}.dropna(subset=["{{e.Number}}"])

            # 2. Fill with the group median, which keeps group differences
            {{Df(e)}}["{{e.Number}}"] = {{Df(e)}}["{{e.Number}}"].fillna(
                {{Df(e)}}.groupby("{{e.Key}}")["{{e.Number}}"].transform("median")
            )

            # 3. Keep a flag so a model can learn from missingness itself
            {{Df(e)}}["{{e.Number}}_missing"] = {{Df(e)}}["{{e.Number}}"].isna()
            ```

            With {{pct}}% missing, I'd usually fill with the group median and keep the flag, rather than throw away that many rows.
            """;
        return (question, answer);
    }

    private static (string, string) Resample(DeterministicRandom rng, CodeEntity e)
    {
        var (rule, word) = rng.PickOne(("W", "weekly"), ("MS", "monthly"), ("D", "daily"), ("QS", "quarterly"));
        var question = $"How do I turn `{Df(e)}` (one row per event with a `timestamp` column) into a {word} series of total `{e.Number}`?";
        var answer = $$"""
            ```python
            {{word}} = (
                {{Df(e)}}
                .assign(timestamp=pd.to_datetime({{Df(e)}}["timestamp"], utc=True))
                .set_index("timestamp")["{{e.Number}}"]
                .resample("{{rule}}")
                .sum()
            )
            ```

            `resample` needs a DatetimeIndex, hence the `set_index`. Periods without events come out as 0 for `sum` (and NaN for `mean`), so gaps stay visible in a chart. Parsing with `utc=True` avoids surprises around daylight-saving changes when the timestamps carry different offsets.
            """;
        return (question, answer);
    }

    private static (string, string) DropDuplicates(DeterministicRandom rng, CodeEntity e)
    {
        var question = $"`{Df(e)}` has several rows per `id` because of repeated exports. How do I keep only the latest row for each `id` based on `updated_at`?";
        var answer = $$"""
            ```python
            latest = (
                {{Df(e)}}
                .sort_values("updated_at")
                .drop_duplicates(subset="id", keep="last")
                .reset_index(drop=True)
            )
            ```

            Sorting first makes "last" mean "most recent". Before deduplicating, check how many ids were affected with `{{Df(e)}}["id"].duplicated().sum()`: a large number may point to a bug in the export rather than harmless repeats.
            """;
        return (question, answer);
    }

    private static (string, string) Shares(DeterministicRandom rng, CodeEntity e)
    {
        var question = $"How do I see what percentage of `{Df(e)}` falls into each `{e.Key}`?";
        var answer = $$"""
            ```python
            shares = {{Df(e)}}["{{e.Key}}"].value_counts(normalize=True, dropna=False).mul(100).round(1)
            ```

            `normalize=True` returns fractions instead of counts, and `dropna=False` includes missing values as their own row, so the total is 100%. To show counts and percentages side by side:

            ```python
            counts = {{Df(e)}}["{{e.Key}}"].value_counts(dropna=False)
            pd.DataFrame({"count": counts, "pct": (counts / counts.sum() * 100).round(1)})
            ```
            """;
        return (question, answer);
    }

    private static (string, string) Chunks(DeterministicRandom rng, CodeEntity e)
    {
        var gb = rng.Between(3, 40);
        var question = $"My `{e.Plural}.csv` is {gb} GB and doesn't fit in memory. I only need the total `{e.Number}` per `{e.Key}`. How can I do it with pandas?";
        var answer = $$"""
            Read it in chunks and combine partial results:

            ```python
            totals = None
            for chunk in pd.read_csv(
                "{{e.Plural}}.csv",
                usecols=["{{e.Key}}", "{{e.Number}}"],
                dtype={"{{e.Key}}": "category"},
                chunksize=1_000_000,
            ):
                part = chunk.groupby("{{e.Key}}", observed=True)["{{e.Number}}"].sum()
                totals = part if totals is None else totals.add(part, fill_value=0)
            ```

            `usecols` skips the columns you don't need, which already saves most of the memory, and each chunk holds one million rows. For repeated analysis, convert the file to Parquet once: DuckDB or Polars can then query {{gb}} GB comfortably on a laptop.
            """;
        return (question, answer);
    }

    private static (string, string) Vectorize(DeterministicRandom rng, CodeEntity e)
    {
        var threshold = CodeSample.Threshold(rng, e);
        var question = $"This is slow on 2 million rows. Can I speed it up?\n\n```python\n{Df(e)}[\"flag\"] = {Df(e)}.apply(lambda r: \"high\" if r[\"{e.Number}\"] > {threshold} else \"normal\", axis=1)\n```";
        var answer = $$"""
            Yes. `apply` with `axis=1` calls a Python function for every row. Use a vectorised expression instead:

            ```python
            import numpy as np

            {{Df(e)}}["flag"] = np.where({{Df(e)}}["{{e.Number}}"] > {{threshold}}, "high", "normal")
            ```

            This runs in compiled code and is typically 50 to 100 times faster. For more than two categories, use `np.select` with a list of conditions, or `pd.cut` if the categories are numeric ranges.
            """;
        return (question, answer);
    }

    private static (string, string) Bins(DeterministicRandom rng, CodeEntity e)
    {
        var span = e.High - e.Low;
        var edges = new[] { e.Low, e.Low + span / 4, e.Low + span / 2, e.Low + span * 3 / 4, e.High };
        var question = $"How do I bucket `{e.Number}` in `{Df(e)}` into ranges like {edges[0]}-{edges[1]}, {edges[1]}-{edges[2]} and so on, and count rows per bucket?";
        var answer = $$"""
            ```python
            bins = [{{string.Join(", ", edges)}}]
            {{Df(e)}}["{{e.Number}}_band"] = pd.cut({{Df(e)}}["{{e.Number}}"], bins=bins, include_lowest=True)
            counts = {{Df(e)}}["{{e.Number}}_band"].value_counts(sort=False)
            ```

            By default each bin includes its right edge, so a value of exactly {{edges[1]}} falls into the first bucket; pass `right=False` to flip that. `include_lowest=True` makes sure the minimum value {{edges[0]}} isn't dropped, and values outside the edges become NaN. Use `pd.qcut({{Df(e)}}["{{e.Number}}"], 4)` instead if you want four buckets with equal numbers of rows.
            """;
        return (question, answer);
    }
}
