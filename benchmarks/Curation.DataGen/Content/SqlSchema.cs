namespace Curation.DataGen.Content;

/// <summary>A parent/child pair of tables that the SQL questions are asked about.</summary>
internal sealed record SqlSchema(
    string Domain,
    string Parent,
    string ParentSingular,
    string ParentName,
    string Group,
    string[] GroupValues,
    string ParentDate,
    string Child,
    string ChildSingular,
    string ForeignKey,
    string Status,
    string[] Statuses,
    string Amount,
    string AmountWords,
    string ChildDate)
{
    public static readonly SqlSchema[] All =
    [
        new("online shop", "customers", "customer", "name", "country", ["PT", "DE", "US", "BR", "JP"], "signup_date",
            "orders", "order", "customer_id", "status", ["paid", "shipped", "cancelled", "refunded"], "total_amount", "order value", "ordered_at"),
        new("SaaS billing", "accounts", "account", "company_name", "plan", ["free", "pro", "enterprise"], "created_at",
            "invoices", "invoice", "account_id", "status", ["open", "paid", "void"], "amount", "invoiced amount", "issued_at"),
        new("HR", "departments", "department", "name", "location", ["Lisbon", "Berlin", "Toronto", "Austin"], "founded_on",
            "employees", "employee", "department_id", "employment_type", ["full_time", "part_time", "contractor"], "salary", "salary", "hired_at"),
        new("library", "members", "member", "full_name", "membership_tier", ["standard", "student", "senior"], "joined_on",
            "loans", "loan", "member_id", "status", ["active", "returned", "overdue"], "late_fee", "late fee", "borrowed_at"),
        new("logistics", "warehouses", "warehouse", "name", "region", ["north", "south", "east", "west"], "opened_on",
            "shipments", "shipment", "warehouse_id", "status", ["in_transit", "delivered", "returned", "lost"], "weight_kg", "shipped weight", "shipped_at"),
        new("video platform", "creators", "creator", "handle", "country", ["PT", "IN", "US", "MX", "NG"], "joined_on",
            "videos", "video", "creator_id", "status", ["published", "draft", "removed"], "view_count", "view count", "published_at"),
        new("clinic network", "clinics", "clinic", "name", "city", ["Porto", "Leeds", "Lyon", "Denver"], "opened_on",
            "appointments", "appointment", "clinic_id", "status", ["booked", "completed", "no_show", "cancelled"], "fee", "appointment fee", "scheduled_at"),
        new("ride sharing", "drivers", "driver", "display_name", "vehicle_type", ["sedan", "suv", "van", "bike"], "onboarded_on",
            "rides", "ride", "driver_id", "status", ["completed", "cancelled", "disputed"], "fare", "fare", "started_at"),
    ];

    /// <summary>Whether <see cref="Amount"/> counts things (an integer column) rather than money or weight.</summary>
    public bool AmountIsCount => Amount.EndsWith("_count", StringComparison.Ordinal);

    public string ParentInitial => Parent[..1];

    public string ChildInitial => Child[..1] == Parent[..1] ? Child[..2] : Child[..1];

    public string Ddl(string dialect)
    {
        var (text, money, stamp, date, id) = dialect switch
        {
            "PostgreSQL" => ("text", "numeric(12,2)", "timestamptz", "date", "bigint PRIMARY KEY"),
            "MySQL" => ("varchar(120)", "decimal(12,2)", "datetime", "date", "bigint PRIMARY KEY AUTO_INCREMENT"),
            "SQLite" => ("TEXT", "REAL", "TEXT", "TEXT", "INTEGER PRIMARY KEY"),
            _ => ("nvarchar(120)", "decimal(12,2)", "datetime2", "date", "bigint IDENTITY PRIMARY KEY"),
        };
        return $"""
            CREATE TABLE {Parent} (
              id {id},
              {ParentName} {text} NOT NULL,
              {Group} {text} NOT NULL,
              {ParentDate} {date} NOT NULL
            );

            CREATE TABLE {Child} (
              id {id},
              {ForeignKey} bigint NOT NULL REFERENCES {Parent}(id),
              {Status} {text} NOT NULL,
              {Amount} {(AmountIsCount ? "bigint" : money)} NOT NULL,
              {ChildDate} {stamp} NOT NULL
            );
            """;
    }
}
