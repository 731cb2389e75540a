namespace Curation.DataGen.Content;

/// <summary>A record type that generated code works on, e.g. orders with an amount and a status.</summary>
/// <param name="Number">A numeric field in snake_case.</param>
/// <param name="Key">A categorical field in snake_case.</param>
internal sealed record CodeEntity(string Singular, string Plural, string Number, string Key, string[] KeyValues, int Low, int High)
{
    public static readonly CodeEntity[] All =
    [
        new("order", "orders", "amount", "status", ["paid", "pending", "refunded"], 10, 500),
        new("user", "users", "age", "country", ["PT", "CA", "DE", "JP"], 18, 80),
        new("product", "products", "price", "category", ["books", "garden", "toys"], 5, 300),
        new("ticket", "tickets", "priority", "team", ["billing", "platform", "mobile"], 1, 5),
        new("reading", "readings", "temperature", "device_id", ["sensor-a", "sensor-b", "sensor-c"], -10, 45),
        new("invoice", "invoices", "total", "currency", ["EUR", "USD", "GBP"], 50, 5000),
        new("employee", "employees", "salary", "department", ["sales", "engineering", "finance"], 30000, 150000),
        new("trip", "trips", "distance_km", "city", ["Lisbon", "Porto", "Braga"], 1, 80),
        new("shipment", "shipments", "weight_kg", "carrier", ["DHL", "UPS", "GLS"], 1, 40),
        new("session", "sessions", "duration_seconds", "browser", ["firefox", "chrome", "safari"], 5, 3600),
        new("listing", "listings", "nightly_rate", "neighbourhood", ["Alfama", "Baixa", "Belém"], 40, 400),
        new("build", "builds", "duration_ms", "branch", ["main", "develop", "release"], 800, 90000),
    ];

    public string NumberCamel => Camel(Number);

    public string NumberPascal => Pascal(Number);

    public string KeyCamel => Camel(Key);

    public string KeyPascal => Pascal(Key);

    public string TypeName => Pascal(Singular);

    public string NumberWords => Number.Replace('_', ' ');

    public string KeyWords => Key.Replace('_', ' ');

    public static string Camel(string snake)
    {
        ArgumentNullException.ThrowIfNull(snake);
        var pascal = Pascal(snake);
        return char.ToLowerInvariant(pascal[0]) + pascal[1..];
    }

    public static string Pascal(string snake)
    {
        ArgumentNullException.ThrowIfNull(snake);
        return string.Concat(snake.Split('_').Select(part => part.Length == 0 ? part : char.ToUpperInvariant(part[0]) + part[1..]));
    }
}
