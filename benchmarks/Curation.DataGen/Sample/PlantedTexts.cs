namespace Curation.DataGen.Sample;

/// <summary>The fixed strings planted into the sample: PII, refusals, low-quality answers, broken lines.</summary>
internal static class PlantedTexts
{
    public const string TestCardNumber = "4111 1111 1111 1111";

    public static readonly string[] Emails =
    [
        "maria.keller@example.org", "j.okafor@example.com", "tomas.rossi+orders@example.net", "helpdesk-test@example.org",
        "lena.novak@example.com", "ravi.patel@example.net", "a.schmidt@example.org",
    ];

    public static readonly string[] Phones =
    [
        "+1 415 555 0134", "(212) 555-0198", "+44 20 7946 0958", "020 7946 0321", "+1-303-555-0147", "(617) 555-0112",
    ];

    public static readonly string[] Ipv4 = ["203.0.113.42", "198.51.100.23", "192.0.2.15", "203.0.113.7"];

    public static readonly string[] ShortAnswers = ["ok", "Sure.", "Yes.", "Thanks!", "Done.", "k", "See above.", "no", "Good question."];

    public static readonly string[] Refusals =
    [
        "As an AI language model, I cannot help with that request.",
        "I'm sorry, but as an AI language model I don't have access to your account, so I cannot check this for you.",
        "As an AI language model, I am not able to write code for this.",
        "I apologize, but I cannot provide that information.",
        "I'm sorry, but I can't assist with that.",
    ];

    public static readonly string[] SecondUserMessages =
    [
        "Hello? Is anyone there?", "Also, I'm in a bit of a hurry.", "Sorry, forgot to mention: this is the second time this happened.",
        "Any update?", "Please answer quickly.",
    ];

    public static readonly string[] NotJsonLines =
    [
        "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>",
        "WARNING export_conversations: skipped 3 records with missing messages",
        "id,messages,created_at",
        "Traceback (most recent call last):",
        "}{",
        "--- page 2 ---",
    ];
}
