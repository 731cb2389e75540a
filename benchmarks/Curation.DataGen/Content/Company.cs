namespace Curation.DataGen.Content;

/// <summary>A fictional business the support and FAQ generators write about.</summary>
/// <param name="Products">Things a customer buys or uses (items, plans or devices).</param>
internal sealed record Company(
    string Name,
    string Prefix,
    CompanyKind Kind,
    string Currency,
    string Offering,
    string[] Products,
    string[] Plans,
    int ReturnDays,
    int WarrantyYears)
{
    public static readonly Company[] All =
    [
        new("Northwind Outfitters", "NW", CompanyKind.Retail, "$", "outdoor clothing",
            ["rain jacket", "hiking boots", "fleece pullover", "wool beanie", "trail running shoes", "insulated vest", "daypack"],
            [], 30, 1),
        new("Kettle & Co.", "KC", CompanyKind.Retail, "£", "kitchen appliances",
            ["stand mixer", "espresso machine", "electric kettle", "air fryer", "blender", "toaster", "rice cooker"],
            [], 28, 2),
        new("Verdant Grocers", "VG", CompanyKind.Retail, "€", "grocery delivery",
            ["weekly vegetable box", "olive oil (1 L)", "sourdough loaf", "oat milk six-pack", "coffee beans (500 g)", "fruit basket"],
            [], 7, 0),
        new("Ferrous Bikes", "FB", CompanyKind.Retail, "€", "e-bikes and accessories",
            ["City e-bike", "cargo e-bike", "battery pack", "helmet", "rear rack", "bike lock", "charger"],
            [], 30, 2),
        new("Lumen Fitness", "LF", CompanyKind.Subscription, "$", "a fitness app",
            ["workout app", "heart-rate strap", "smart scale"],
            ["Basic", "Plus", "Family"], 14, 1),
        new("CloudNest", "CN", CompanyKind.Subscription, "$", "cloud storage",
            ["desktop sync client", "mobile app", "web dashboard"],
            ["Free", "Personal 200 GB", "Pro 2 TB", "Team"], 14, 0),
        new("Tallyo", "TY", CompanyKind.Subscription, "€", "invoicing software",
            ["invoice editor", "expense tracker", "bank sync"],
            ["Starter", "Growth", "Scale"], 14, 0),
        new("PixelPeak", "PP", CompanyKind.Subscription, "$", "photo editing software",
            ["desktop editor", "preset pack", "iPad app"],
            ["Monthly", "Annual", "Education"], 14, 0),
        new("Brightwave Internet", "BW", CompanyKind.Telecom, "$", "home broadband",
            ["fiber router", "mesh extender", "TV box"],
            ["Fiber 300", "Fiber 500", "Fiber 1000"], 14, 1),
        new("Orbit Mobile", "OM", CompanyKind.Telecom, "£", "mobile phone plans",
            ["SIM card", "eSIM", "5G hotspot"],
            ["Orbit 10 GB", "Orbit 50 GB", "Orbit Unlimited"], 14, 1),
    ];
}
