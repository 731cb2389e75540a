using System.ComponentModel.DataAnnotations;

namespace Curation.Dedup.Exact;

/// <summary>Options of the <c>exact-dedup</c> stage.</summary>
public sealed class ExactDedupOptions : IValidatableObject
{
    /// <summary>What is compared: conversation (default), prompt, response, or fields.</summary>
    public DedupKey Key { get; init; } = DedupKey.Conversation;

    /// <summary>With <c>key: fields</c>: the metadata fields whose values together identify a record.</summary>
    public List<string> Fields { get; init; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Key == DedupKey.Fields && Fields.Count == 0)
        {
            yield return new ValidationResult("key 'fields' needs a list of metadata fields under 'fields'", [nameof(Fields)]);
        }

        if (Key != DedupKey.Fields && Fields.Count > 0)
        {
            yield return new ValidationResult("'fields' applies only with 'key: fields'", [nameof(Fields)]);
        }
    }
}
