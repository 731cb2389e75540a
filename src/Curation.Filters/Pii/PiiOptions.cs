using System.ComponentModel.DataAnnotations;

namespace Curation.Filters.Pii;

/// <summary>Options of the <c>pii</c> stage.</summary>
public sealed class PiiOptions : IValidatableObject
{
    /// <summary>Replace what is found with a token (redact), or drop the record (reject).</summary>
    public PiiAction Action { get; init; } = PiiAction.Redact;

    /// <summary>Kinds to look for; default all: private_key, api_key, email, iban, credit_card, ipv6, ipv4, phone.</summary>
    public List<string>? Kinds { get; init; }

    /// <summary>Replacement token per kind (e.g. <c>email: "[EMAIL]"</c>); defaults <c>&lt;EMAIL&gt;</c>, <c>&lt;PHONE&gt;</c>, …</summary>
    public Dictionary<string, string> Replacements { get; init; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var name in (Kinds ?? []).Concat(Replacements.Keys))
        {
            if (PiiNames.TryParse(name) is null)
            {
                yield return new ValidationResult($"unknown PII kind '{name}'; expected {string.Join(", ", PiiNames.All)}", [nameof(Kinds)]);
            }
        }
    }
}

/// <summary>What the <c>pii</c> stage does with a record that holds personal data or secrets.</summary>
public enum PiiAction
{
    Redact,
    Reject,
}

/// <summary>The snake_case names pipeline files use for <see cref="PiiKind"/>, and the default replacement tokens.</summary>
public static class PiiNames
{
    public static IReadOnlyList<string> All { get; } = [.. Enum.GetValues<PiiKind>().Select(Name)];

    public static string Name(PiiKind kind) => kind switch
    {
        PiiKind.PrivateKey => "private_key",
        PiiKind.ApiKey => "api_key",
        PiiKind.Email => "email",
        PiiKind.Iban => "iban",
        PiiKind.CreditCard => "credit_card",
        PiiKind.Ipv6 => "ipv6",
        PiiKind.Ipv4 => "ipv4",
        _ => "phone",
    };

    public static PiiKind? TryParse(string name) =>
        Enum.GetValues<PiiKind>().Cast<PiiKind?>().FirstOrDefault(kind => Name(kind!.Value) == name);

    public static string DefaultReplacement(PiiKind kind) => kind switch
    {
        PiiKind.Ipv4 or PiiKind.Ipv6 => "<IP_ADDRESS>",
        _ => $"<{Name(kind).ToUpperInvariant()}>",
    };
}
