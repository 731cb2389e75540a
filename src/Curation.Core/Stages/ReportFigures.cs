using System.Text.Json;

namespace Curation.Core.Stages;

/// <summary>How <see cref="IMergeableReport"/> stages write and read their figures: snake_case JSON, read strictly.</summary>
public static class ReportFigures
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    public static JsonElement Save<T>(T figures) => JsonSerializer.SerializeToElement(figures, Options);

    /// <exception cref="CurationException">The figures are not of the stage's kind.</exception>
    public static T Read<T>(JsonElement figures, string stage)
    {
        try
        {
            return figures.Deserialize<T>(Options) ?? throw new CurationException($"stage '{stage}': saved figures are empty");
        }
        catch (JsonException ex)
        {
            throw new CurationException($"stage '{stage}': saved figures are not this stage's: {ex.Message}", ex);
        }
    }
}
