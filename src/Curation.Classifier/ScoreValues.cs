using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Curation.Classifier;

/// <summary>
/// The JSON values of scores rounded to four decimals, each serialized once and then shared: a score in [0, 1] has
/// only 10,001 of them, so the stage does not run the serializer for every record.
/// </summary>
internal static class ScoreValues
{
    private const int Steps = 10_000;

    private static readonly StrongBox<JsonElement>?[] Tabulated = new StrongBox<JsonElement>?[Steps + 1];

    /// <summary>The same value <c>JsonSerializer.SerializeToElement(score)</c> gives.</summary>
    public static JsonElement Of(double score)
    {
        var step = Math.Round(score * Steps);
        if (double.IsNegative(score) || step > Steps || step / Steps != score)
        {
            return JsonSerializer.SerializeToElement(score);
        }

        // A race builds the same value twice; a reference write cannot tear.
        ref var slot = ref Tabulated[(int)step];
        return (Volatile.Read(ref slot) ?? (slot = new StrongBox<JsonElement>(JsonSerializer.SerializeToElement(score)))).Value;
    }
}
