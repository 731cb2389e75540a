namespace Curation.Normalization;

/// <summary>The stage kinds this assembly provides, as named in pipeline files.</summary>
public static class StageKinds
{
    public const string Normalize = "normalize";
    public const string Validate = "validate";
}
