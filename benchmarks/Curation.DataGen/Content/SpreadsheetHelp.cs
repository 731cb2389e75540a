using Curation.DataGen.Model;
using Curation.DataGen.Text;

namespace Curation.DataGen.Content;

/// <summary>Spreadsheet formula questions (Excel and Google Sheets) about concrete sheets and columns.</summary>
internal sealed class SpreadsheetHelp : IConversationSource
{
    private sealed record Sheet(string Name, string Key, string[] KeyValues, string Amount, string Date, string Status, string[] Statuses);

    private static readonly Sheet[] Sheets =
    [
        new("Sales", "Region", ["North", "South", "East", "West"], "Revenue", "Order date", "Status", ["Paid", "Pending", "Refunded"]),
        new("Expenses", "Department", ["Marketing", "Engineering", "Sales", "HR"], "Amount", "Date", "Approval", ["Approved", "Rejected", "Waiting"]),
        new("Inventory", "Category", ["Cables", "Monitors", "Keyboards", "Chairs"], "Stock value", "Last count", "State", ["OK", "Low", "Out"]),
        new("Timesheets", "Project", ["Apollo", "Beacon", "Cobalt", "Delta"], "Hours", "Week", "Billable", ["Yes", "No"]),
        new("Tickets", "Team", ["Billing", "Platform", "Mobile", "Web"], "Minutes to resolve", "Opened", "Priority", ["P1", "P2", "P3"]),
        new("Donations", "Campaign", ["Spring appeal", "Gala", "Online", "Schools"], "Gift", "Received", "Gift aid", ["Yes", "No"]),
        new("Fleet", "Depot", ["Leeds", "Bristol", "Glasgow", "Cardiff"], "Fuel cost", "Refuelled", "Vehicle type", ["Van", "Truck", "Car"]),
    ];

    private static readonly Func<DeterministicRandom, Sheet, (string, string)>[] Makers =
        [SumIfs, Lookup, CountIfs, Overdue, Unique, Tiers, RunningTotal, WorkingDays, PercentChange, AverageIfs];

    public Conversation Next(DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var sheet = rng.Pick(Sheets);
        var (question, answer) = rng.Pick(Makers)(rng, sheet);
        var system = rng.Chance(0.3) ? "You are a spreadsheet expert. Give formulas that work in both Excel 365 and Google Sheets unless asked otherwise." : null;
        return new Conversation { System = system, Turns = [Turn.User(question), Turn.Assistant(answer)], Category = "spreadsheets" };
    }

    private static string Col(int index) => ((char)('A' + index)).ToString();

    private static (string, string) SumIfs(DeterministicRandom rng, Sheet s)
    {
        var key = rng.Pick(s.KeyValues);
        var month = Fmt.Day(rng.Between(0, 700));
        var (k, a, d) = (Col(rng.Between(0, 2)), Col(rng.Between(3, 5)), Col(rng.Between(6, 8)));
        var question = $"In my {s.Name} sheet, column {k} is {s.Key}, column {d} is {s.Date} and column {a} is {s.Amount}. How do I total the {s.Amount.ToLowerInvariant()} for {key} in {month.ToString("MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture)}?";
        var answer = $"""
            Use `SUMIFS` with a date range for the month:

            ```
            =SUMIFS({a}:{a}, {k}:{k}, "{key}", {d}:{d}, ">="&DATE({month.Year},{month.Month},1), {d}:{d}, "<"&EDATE(DATE({month.Year},{month.Month},1),1))
            ```

            - The first argument is the column to add up; then come pairs of criteria range and criterion.
            - `EDATE(..., 1)` gives the first day of the next month, so every day of {month.ToString("MMMM", System.Globalization.CultureInfo.InvariantCulture)} is included, whatever its length.
            - To make it reusable, put "{key}" in a cell (say `H1`) and the month's first day in `H2`, then use `{k}:{k}, H1` and `">="&H2`.

            If the dates were imported as text, `SUMIFS` won't match them. Check that they're right-aligned, or convert them with `DATEVALUE`.
            """;
        return (question, answer);
    }

    private static (string, string) Lookup(DeterministicRandom rng, Sheet s)
    {
        var other = rng.PickOne("Prices", "Managers", "Rates", "Owners", "Targets");
        var returnCol = Col(rng.Between(1, 4));
        var question = $"I have a {s.Key} in column A of my {s.Name} sheet and want to pull the matching value from column {returnCol} of the {other} sheet. What formula should I use?";
        var answer = $"""
            With Excel 365 or Google Sheets, use `XLOOKUP`:

            ```
            =XLOOKUP(A2, {other}!A:A, {other}!{returnCol}:{returnCol}, "not found")
            ```

            Fill it down the column. The fourth argument is what to show when the {s.Key.ToLowerInvariant()} isn't in {other}, which is clearer than an `#N/A` error.

            On older Excel versions, the equivalent is:

            ```
            =IFERROR(VLOOKUP(A2, {other}!A:{returnCol}, {returnCol[0] - 'A' + 1}, FALSE), "not found")
            ```

            The `FALSE` means exact match. Without it, `VLOOKUP` assumes sorted data and can silently return the wrong row.
            """;
        return (question, answer);
    }

    private static (string, string) CountIfs(DeterministicRandom rng, Sheet s)
    {
        var status = rng.Pick(s.Statuses);
        var threshold = rng.Between(2, 40) * 25;
        var question = $"How can I count rows in {s.Name} where {s.Status} is \"{status}\" and {s.Amount} is more than {Fmt.N(threshold)}? {s.Status} is in column C, {s.Amount} in column E.";
        var answer = $"""
            ```
            =COUNTIFS(C:C, "{status}", E:E, ">{threshold}")
            ```

            Each pair is a range and a condition, and a row is counted only if all conditions hold. To take the threshold from a cell instead, write `">"&G1`. Text criteria are not case-sensitive, so "{status.ToLowerInvariant()}" would match as well.
            """;
        return (question, answer);
    }

    private static (string, string) Overdue(DeterministicRandom rng, Sheet s)
    {
        var due = Col(rng.Between(3, 6));
        var state = Col(rng.Between(7, 9));
        var color = rng.PickOne("red", "light orange", "yellow", "pink");
        var question = $"I want to highlight rows in {s.Name} in {color} when the due date (column {due}) has passed and column {state} isn't \"Done\". How?";
        var answer = $"""
            Use conditional formatting with a custom formula:

            1. Select the data rows, for example `A2:{state}500`.
            2. Excel: Home > Conditional Formatting > New Rule > "Use a formula to determine which cells to format". Google Sheets: Format > Conditional formatting > "Custom formula is".
            3. Enter:

            ```
            =AND(${due}2<TODAY(), ${state}2<>"Done", ${due}2<>"")
            ```

            4. Choose a {color} fill.

            The `$` before the column letters locks the columns, so every cell in the row checks the same two columns. The row number stays relative, so each row checks its own values. The last condition skips rows without a due date.
            """;
        return (question, answer);
    }

    private static (string, string) Unique(DeterministicRandom rng, Sheet s)
    {
        var rows = rng.Between(100, 5000);
        var question = $"How do I get a list of distinct {s.Key} values from {s.Name}!B2:B{rows}, and how many there are?";
        var answer = $"""
            ```
            =SORT(UNIQUE({s.Name}!B2:B{rows}))
            =COUNTA(UNIQUE({s.Name}!B2:B{rows}))
            ```

            `UNIQUE` spills the distinct values into the cells below, and wrapping it in `SORT` puts them in order. If the range contains blank cells, `UNIQUE` returns one empty entry too; filter it out with `UNIQUE(FILTER(B2:B{rows}, B2:B{rows}<>""))`.

            These are dynamic array functions, available in Excel 365/2021 and Google Sheets. In older Excel, use Data > Remove Duplicates on a copy of the column.
            """;
        return (question, answer);
    }

    private static (string, string) Tiers(DeterministicRandom rng, Sheet s)
    {
        var high = rng.Between(10, 50) * 100;
        var mid = high / 2;
        var names = rng.PickOne(("Gold", "Silver", "Bronze"), ("High", "Medium", "Low"), ("A", "B", "C"), ("Tier 1", "Tier 2", "Tier 3"));
        var question = $"I need a column that labels each row \"{names.Item1}\" if {s.Amount} (column D) is at least {Fmt.N(high)}, \"{names.Item2}\" if at least {Fmt.N(mid)}, otherwise \"{names.Item3}\".";
        var answer = $"""
            ```
            =IFS(D2>={high}, "{names.Item1}", D2>={mid}, "{names.Item2}", TRUE, "{names.Item3}")
            ```

            `IFS` checks the conditions in order and returns the value of the first one that is true; the final `TRUE` acts as "otherwise". The order matters: check the highest threshold first.

            Without `IFS` (Excel 2016 and older), nest `IF`s:

            ```
            =IF(D2>={high}, "{names.Item1}", IF(D2>={mid}, "{names.Item2}", "{names.Item3}"))
            ```
            """;
        return (question, answer);
    }

    private static (string, string) RunningTotal(DeterministicRandom rng, Sheet s)
    {
        var col = Col(rng.Between(2, 6));
        var question = $"How do I add a running total of {s.Amount} (column {col}) in the {s.Name} sheet?";
        var answer = $"""
            In the first data row of an empty column, enter:

            ```
            =SUM(${col}$2:{col}2)
            ```

            and fill it down. The start of the range is locked (`${col}$2`) while the end moves with each row, so row 10 adds up rows 2 to 10.

            In Excel 365 you can produce the whole column with one formula: `=SCAN(0, {col}2:{col}500, LAMBDA(total, x, total + x))`. Sort the data by {s.Date.ToLowerInvariant()} first, or the running total won't mean much.
            """;
        return (question, answer);
    }

    private static (string, string) WorkingDays(DeterministicRandom rng, Sheet s)
    {
        var holidays = rng.PickOne("Holidays!A2:A20", "Config!B2:B15", "BankHolidays!A:A");
        var question = $"Column B has a start date and column C an end date. How do I count working days between them, excluding the public holidays listed in {holidays.Split('!')[0]}?";
        var answer = $"""
            ```
            =NETWORKDAYS(B2, C2, {holidays})
            ```

            `NETWORKDAYS` counts Monday to Friday, including both the start and the end date, and skips any date in the holiday range. If your weekend isn't Saturday and Sunday, use `NETWORKDAYS.INTL`, for example `=NETWORKDAYS.INTL(B2, C2, 7, {holidays})` for a Friday-Saturday weekend.
            """;
        return (question, answer);
    }

    private static (string, string) PercentChange(DeterministicRandom rng, Sheet s)
    {
        var (y1, y2) = (rng.Between(2019, 2023), 0);
        y2 = y1 + 1;
        var question = $"Column B has {s.Amount} for {y1} and column C for {y2}. How do I show the percentage change, and avoid errors when {y1} is zero?";
        var answer = $"""
            ```
            =IF(B2=0, "", (C2-B2)/B2)
            ```

            Format the column as a percentage (Ctrl+Shift+5 in Excel). The result is negative for a decrease. When the {y1} value is zero, the change isn't defined, so the cell is left blank instead of showing `#DIV/0!`. To see "new" there instead, replace `""` with `"new"`.
            """;
        return (question, answer);
    }

    private static (string, string) AverageIfs(DeterministicRandom rng, Sheet s)
    {
        var key = rng.Pick(s.KeyValues);
        var status = rng.Pick(s.Statuses);
        var question = $"What's the formula for the average {s.Amount.ToLowerInvariant()} of {key} rows where {s.Status} is \"{status}\"? {s.Key} is column A, {s.Status} column B, {s.Amount} column F.";
        var answer = $"""
            ```
            =IFERROR(AVERAGEIFS(F:F, A:A, "{key}", B:B, "{status}"), 0)
            ```

            `AVERAGEIFS` works like `SUMIFS`: the range to average first, then range/criterion pairs. It ignores empty cells and text in column F. `IFERROR` returns 0 when no row matches; without it, you'd see `#DIV/0!`.
            """;
        return (question, answer);
    }
}
