using Curation.DataGen.Model;
using Curation.DataGen.Text;

namespace Curation.DataGen.Content;

/// <summary>Text-to-SQL: the schema in the system prompt (or the question), a question, and a query with notes.</summary>
internal sealed class SqlConversations : IConversationSource
{
    private static readonly string[] Dialects = ["PostgreSQL", "MySQL", "SQLite", "SQL Server"];

    private delegate (string Question, string Sql, string Notes) QueryMaker(DeterministicRandom rng, SqlSchema s, string dialect);

    private static readonly QueryMaker[] Makers =
    [
        CountByStatus, TopParents, AverageByGroup, DateRange, ParentsWithoutChildren, MonthlyTotals, RunningTotal,
        DuplicateNames, ArchiveOld, StatusShare, LatestPerParent, ParentsWithManyChildren,
    ];

    public Conversation Next(DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var schema = rng.Pick(SqlSchema.All);
        var dialect = rng.Pick(Dialects);
        var (question, sql, notes) = rng.Pick(Makers)(rng, schema, dialect);
        var intro = rng.Next(5) switch
        {
            0 => "Here's the query:",
            1 => $"This works in {dialect}:",
            2 => "You can get that with:",
            3 => $"In {dialect} you can write:",
            _ => "Try this:",
        };
        var answer = $"""
            {intro}

            ```sql
            {sql}
            ```

            {notes}
            """;
        if (rng.Chance(0.75))
        {
            var system = rng.Next(3) switch
            {
                0 => $"You are an expert {dialect} developer. Given the database schema below, write a correct and efficient query for the user's question, then explain it briefly.\n\n{schema.Ddl(dialect)}",
                1 => $"You translate questions about a {schema.Domain} database into {dialect} SQL.\nSchema:\n{schema.Ddl(dialect)}\nReturn the query in a sql code block.",
                _ => $"Database: {dialect}\n\n{schema.Ddl(dialect)}\n\nAnswer questions with a single SQL query and a one-paragraph explanation.",
            };
            return new Conversation { System = system, Turns = [Turn.User(question), Turn.Assistant(answer)], Category = schema.Domain };
        }

        var user = $"""
            I'm using {dialect}. Here are my tables:

            ```sql
            {schema.Ddl(dialect)}
            ```

            {question}
            """;
        return new Conversation { Turns = [Turn.User(user), Turn.Assistant(answer)], Category = schema.Domain };
    }

    private static string Limit(string dialect, string selectList, string rest, int n) => dialect == "SQL Server"
        ? $"SELECT TOP ({n}) {selectList}\n{rest};"
        : $"SELECT {selectList}\n{rest}\nLIMIT {n};";

    private static string Year(DeterministicRandom rng) => Fmt.I(rng.Between(2019, 2025));

    private static (string Question, string Sql, string Notes) CountByStatus(DeterministicRandom rng, SqlSchema s, string dialect)
    {
        var status = rng.Pick(s.Statuses);
        var question = rng.Next(2) == 0
            ? $"How many {s.Child} have {s.Status.Replace('_', ' ')} '{status}'?"
            : $"Count the {s.Child} whose {s.Status} is {status}.";
        var sql = $"""
            SELECT COUNT(*) AS {status}_{s.Child}
            FROM {s.Child}
            WHERE {s.Status} = '{status}';
            """;
        var notes = $"`COUNT(*)` counts rows; an index on `{s.Child}({s.Status})` makes this fast on large tables.";
        return (question, sql, notes);
    }

    private static (string Question, string Sql, string Notes) TopParents(DeterministicRandom rng, SqlSchema s, string dialect)
    {
        var n = rng.Between(3, 20);
        var year = Year(rng);
        var p = s.ParentInitial;
        var c = s.ChildInitial;
        var question = rng.Next(2) == 0
            ? $"Which {n} {s.Parent} had the highest total {s.AmountWords} in {year}?"
            : $"Show me the top {n} {s.Parent} by {s.AmountWords} for {year}, with the total next to each name.";
        var rest = $"""
            FROM {s.Parent} {p}
            JOIN {s.Child} {c} ON {c}.{s.ForeignKey} = {p}.id
            WHERE {c}.{s.ChildDate} >= '{year}-01-01'
              AND {c}.{s.ChildDate} < '{Fmt.I(int.Parse(year, System.Globalization.CultureInfo.InvariantCulture) + 1)}-01-01'
            GROUP BY {p}.id, {p}.{s.ParentName}
            ORDER BY total_{s.Amount} DESC
            """;
        var sql = Limit(dialect, $"{p}.id, {p}.{s.ParentName}, SUM({c}.{s.Amount}) AS total_{s.Amount}", rest, n);
        var notes = $"""
            - The half-open date range (`>= '{year}-01-01'` and `<` the next January 1st) includes every timestamp in {year} and still lets the database use an index on `{s.ChildDate}`. Wrapping the column in a function like `YEAR()` would prevent that.
            - Grouping by `{p}.id` as well as the name keeps two {s.Parent} with the same name apart.
            """;
        return (question, sql, notes);
    }

    private static (string Question, string Sql, string Notes) AverageByGroup(DeterministicRandom rng, SqlSchema s, string dialect)
    {
        var p = s.ParentInitial;
        var c = s.ChildInitial;
        var question = rng.Next(2) == 0
            ? $"What's the average {s.AmountWords} per {s.Group.Replace('_', ' ')}?"
            : $"Break down the average {s.Amount} of {s.Child} by the {s.ParentSingular}'s {s.Group}, highest first.";
        var round = dialect == "SQLite" ? $"ROUND(AVG({c}.{s.Amount}), 2)" : $"ROUND(AVG(CAST({c}.{s.Amount} AS decimal(12,2))), 2)";
        var sql = $"""
            SELECT {p}.{s.Group}, {round} AS avg_{s.Amount}, COUNT(*) AS {s.Child}
            FROM {s.Child} {c}
            JOIN {s.Parent} {p} ON {p}.id = {c}.{s.ForeignKey}
            GROUP BY {p}.{s.Group}
            ORDER BY avg_{s.Amount} DESC;
            """;
        var notes = $"Including `COUNT(*)` shows how many {s.Child} each average is based on. A {s.Group.Replace('_', ' ')} with only a handful of rows can have a misleading average.";
        return (question, sql, notes);
    }

    private static (string Question, string Sql, string Notes) DateRange(DeterministicRandom rng, SqlSchema s, string dialect)
    {
        var start = Fmt.Day(rng.Between(0, 600));
        var end = start.AddDays(rng.Between(7, 90));
        var question = $"List all {s.Child} between {Fmt.Long(start)} and {Fmt.Long(end)}, newest first.";
        var sql = $"""
            SELECT *
            FROM {s.Child}
            WHERE {s.ChildDate} >= '{Fmt.Iso(start)}'
              AND {s.ChildDate} < '{Fmt.Iso(end.AddDays(1))}'
            ORDER BY {s.ChildDate} DESC;
            """;
        var notes = $"The upper bound is the day after {Fmt.Long(end)} with `<`, so {s.Child} from any time on {Fmt.Short(end)} are included. `BETWEEN '{Fmt.Iso(start)}' AND '{Fmt.Iso(end)}'` would stop at midnight and miss them.";
        return (question, sql, notes);
    }

    private static (string Question, string Sql, string Notes) ParentsWithoutChildren(DeterministicRandom rng, SqlSchema s, string dialect)
    {
        var p = s.ParentInitial;
        var c = s.ChildInitial;
        var question = rng.Next(2) == 0
            ? $"Which {s.Parent} have no {s.Child} at all?"
            : $"Find every {s.ParentSingular} that has never had a single {s.ChildSingular}.";
        var useExists = rng.Chance(0.5);
        var sql = useExists
            ? $"""
              SELECT {p}.id, {p}.{s.ParentName}
              FROM {s.Parent} {p}
              WHERE NOT EXISTS (
                SELECT 1 FROM {s.Child} {c} WHERE {c}.{s.ForeignKey} = {p}.id
              );
              """
            : $"""
              SELECT {p}.id, {p}.{s.ParentName}
              FROM {s.Parent} {p}
              LEFT JOIN {s.Child} {c} ON {c}.{s.ForeignKey} = {p}.id
              WHERE {c}.id IS NULL;
              """;
        var notes = useExists
            ? $"`NOT EXISTS` stops at the first matching {s.ChildSingular}, and unlike `NOT IN` it behaves correctly if `{s.ForeignKey}` ever contains NULLs."
            : $"The `LEFT JOIN` keeps every {s.ParentSingular}; those without a match get NULLs in the {s.Child} columns, which the `WHERE` clause then selects.";
        return (question, sql, notes);
    }

    private static (string Question, string Sql, string Notes) MonthlyTotals(DeterministicRandom rng, SqlSchema s, string dialect)
    {
        var year = Year(rng);
        var next = Fmt.I(int.Parse(year, System.Globalization.CultureInfo.InvariantCulture) + 1);
        var month = dialect switch
        {
            "PostgreSQL" => $"date_trunc('month', {s.ChildDate})",
            "MySQL" => $"DATE_FORMAT({s.ChildDate}, '%Y-%m-01')",
            "SQLite" => $"strftime('%Y-%m', {s.ChildDate})",
            _ => $"DATEFROMPARTS(YEAR({s.ChildDate}), MONTH({s.ChildDate}), 1)",
        };
        var question = $"Show the total {s.AmountWords} for each month of {year}.";
        var sql = $"""
            SELECT {month} AS month, SUM({s.Amount}) AS total_{s.Amount}
            FROM {s.Child}
            WHERE {s.ChildDate} >= '{year}-01-01' AND {s.ChildDate} < '{next}-01-01'
            GROUP BY {month}
            ORDER BY month;
            """;
        var notes = $"Months without any {s.Child} won't appear. If you need all twelve rows, join against a calendar table{(dialect == "PostgreSQL" ? " or `generate_series`" : string.Empty)} and use `COALESCE(SUM(...), 0)`.";
        return (question, sql, notes);
    }

    private static (string Question, string Sql, string Notes) RunningTotal(DeterministicRandom rng, SqlSchema s, string dialect)
    {
        var id = rng.Between(1, 5000);
        var day = dialect switch
        {
            "PostgreSQL" => $"{s.ChildDate}::date",
            "SQLite" => $"date({s.ChildDate})",
            _ => $"CAST({s.ChildDate} AS date)",
        };
        var question = $"For {s.ParentSingular} {id}, show the daily {s.AmountWords} and a running total over time.";
        var sql = $"""
            SELECT day,
                   daily_{s.Amount},
                   SUM(daily_{s.Amount}) OVER (ORDER BY day) AS running_{s.Amount}
            FROM (
              SELECT {day} AS day, SUM({s.Amount}) AS daily_{s.Amount}
              FROM {s.Child}
              WHERE {s.ForeignKey} = {id}
              GROUP BY {day}
            ) AS daily
            ORDER BY day;
            """;
        var notes = "The inner query collapses each day to one row; the window function then adds up all days up to and including the current one. Window functions need " +
            (dialect == "SQLite" ? "SQLite 3.25 or later." : dialect == "MySQL" ? "MySQL 8.0 or later." : "no extra setup here.");
        return (question, sql, notes);
    }

    private static (string Question, string Sql, string Notes) DuplicateNames(DeterministicRandom rng, SqlSchema s, string dialect)
    {
        var question = $"How can I find {s.Parent} that share the same {s.ParentName.Replace('_', ' ')}?";
        var sql = $"""
            SELECT {s.ParentName}, COUNT(*) AS copies
            FROM {s.Parent}
            GROUP BY {s.ParentName}
            HAVING COUNT(*) > 1
            ORDER BY copies DESC;
            """;
        var notes = $"`HAVING` filters after grouping, which `WHERE` can't do. To see the individual rows, join this result back to `{s.Parent}` on `{s.ParentName}`.{(rng.Chance(0.5) ? " Case and stray spaces often hide duplicates; group by `LOWER(TRIM(" + s.ParentName + "))` to catch those too." : string.Empty)}";
        return (question, sql, notes);
    }

    private static (string Question, string Sql, string Notes) ArchiveOld(DeterministicRandom rng, SqlSchema s, string dialect)
    {
        var from = s.Statuses[0];
        var to = s.Statuses[^1];
        var days = rng.PickOne(7, 14, 30, 60, 90, 180, 365);
        var cutoff = dialect switch
        {
            "PostgreSQL" => $"now() - interval '{days} days'",
            "MySQL" => $"NOW() - INTERVAL {days} DAY",
            "SQLite" => $"datetime('now', '-{days} days')",
            _ => $"DATEADD(day, -{days}, SYSUTCDATETIME())",
        };
        var question = $"Write an UPDATE that sets {s.Status} to '{to}' for all {s.Child} still '{from}' after {days} days.";
        var sql = $"""
            UPDATE {s.Child}
            SET {s.Status} = '{to}'
            WHERE {s.Status} = '{from}'
              AND {s.ChildDate} < {cutoff};
            """;
        var notes = $"Run the same `WHERE` clause as a `SELECT COUNT(*)` first to check how many rows will change, and wrap the update in a transaction so you can roll back.";
        return (question, sql, notes);
    }

    private static (string Question, string Sql, string Notes) StatusShare(DeterministicRandom rng, SqlSchema s, string dialect)
    {
        var status = rng.Pick(s.Statuses);
        var year = Year(rng);
        var next = Fmt.I(int.Parse(year, System.Globalization.CultureInfo.InvariantCulture) + 1);
        var question = $"What percentage of {s.Child} in {year} were {status.Replace('_', ' ')}?";
        var numerator = dialect == "PostgreSQL"
            ? $"COUNT(*) FILTER (WHERE {s.Status} = '{status}')"
            : $"SUM(CASE WHEN {s.Status} = '{status}' THEN 1 ELSE 0 END)";
        var sql = $"""
            SELECT ROUND(100.0 * {numerator} / COUNT(*), 1) AS {status}_pct
            FROM {s.Child}
            WHERE {s.ChildDate} >= '{year}-01-01' AND {s.ChildDate} < '{next}-01-01';
            """;
        var notes = $"Multiplying by `100.0` first forces decimal division; with two integers some databases would return 0. If {year} has no {s.Child}, `COUNT(*)` is 0 and the division fails, so wrap it in `NULLIF(COUNT(*), 0)` if that can happen.";
        return (question, sql, notes);
    }

    private static (string Question, string Sql, string Notes) LatestPerParent(DeterministicRandom rng, SqlSchema s, string dialect)
    {
        var p = s.ParentInitial;
        var c = s.ChildInitial;
        var question = $"For each {s.ParentSingular}, show only their most recent {s.ChildSingular}.";
        var sql = $"""
            SELECT {s.ParentName}, id AS {s.ChildSingular}_id, {s.ChildDate}, {s.Amount}
            FROM (
              SELECT {p}.{s.ParentName}, {c}.id, {c}.{s.ChildDate}, {c}.{s.Amount},
                     ROW_NUMBER() OVER (PARTITION BY {c}.{s.ForeignKey} ORDER BY {c}.{s.ChildDate} DESC, {c}.id DESC) AS rn
              FROM {s.Child} {c}
              JOIN {s.Parent} {p} ON {p}.id = {c}.{s.ForeignKey}
            ) AS ranked
            WHERE rn = 1;
            """;
        var notes = $"`ROW_NUMBER()` numbers each {s.ParentSingular}'s {s.Child} from newest to oldest; keeping `rn = 1` leaves one row per {s.ParentSingular}. The extra `id DESC` breaks ties when two {s.Child} share a timestamp.";
        return (question, sql, notes);
    }

    private static (string Question, string Sql, string Notes) ParentsWithManyChildren(DeterministicRandom rng, SqlSchema s, string dialect)
    {
        var n = rng.Between(2, 50);
        var year = Year(rng);
        var next = Fmt.I(int.Parse(year, System.Globalization.CultureInfo.InvariantCulture) + 1);
        var p = s.ParentInitial;
        var c = s.ChildInitial;
        var question = $"Which {s.Parent} had more than {n} {s.Child} in {year}?";
        var sql = $"""
            SELECT {p}.id, {p}.{s.ParentName}, COUNT(*) AS {s.Child}_{year}
            FROM {s.Parent} {p}
            JOIN {s.Child} {c} ON {c}.{s.ForeignKey} = {p}.id
            WHERE {c}.{s.ChildDate} >= '{year}-01-01' AND {c}.{s.ChildDate} < '{next}-01-01'
            GROUP BY {p}.id, {p}.{s.ParentName}
            HAVING COUNT(*) > {n}
            ORDER BY {s.Child}_{year} DESC;
            """;
        var notes = $"The date filter belongs in `WHERE` (applied before grouping), and the count condition in `HAVING` (applied after).";
        return (question, sql, notes);
    }
}
