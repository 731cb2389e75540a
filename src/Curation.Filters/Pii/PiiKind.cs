namespace Curation.Filters.Pii;

/// <summary>The kinds of personal data and secrets the <c>pii</c> stage finds.</summary>
public enum PiiKind
{
    PrivateKey,
    ApiKey,
    Email,
    Iban,
    CreditCard,
    Ipv6,
    Ipv4,
    Phone,
}
