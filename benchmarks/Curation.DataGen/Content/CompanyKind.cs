namespace Curation.DataGen.Content;

internal enum CompanyKind
{
    Retail,
    Subscription,
    Telecom,
}
