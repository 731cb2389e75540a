using System.ComponentModel.DataAnnotations;
using Curation.Core.Records;
using Curation.Core.Stages;

namespace Curation.Filters.Examples;

/// <summary>Options of <c>max-turns</c>; pipeline keys are the snake_case property names (<c>max_turns: 12</c>).</summary>
public sealed class MaxTurnsOptions
{
    /// <summary>Most turns a conversation may have, the system prompt included.</summary>
    [Range(1, int.MaxValue)]
    public int MaxTurns { get; init; } = 32;
}

/// <summary>
/// Drops conversations longer than <see cref="MaxTurnsOptions.MaxTurns"/> turns. A per-record stage: pure and
/// thread-safe, so the runtime runs it on every worker and keeps input order.
/// </summary>
internal sealed class MaxTurnsStage(MaxTurnsOptions options, string name) : IRecordStage
{
    public const string Kind = "max-turns";
    public const string Description = "Drops conversations with more turns than max_turns";
    public const string TooManyTurnsRule = "too-many-turns";

    /// <summary>Every rule this stage's rejects may carry; the registration declares them.</summary>
    public static IReadOnlyList<string> Rules { get; } = [TooManyTurnsRule];

    public string Name { get; } = name;

    public StageResult Apply(ChatRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.Messages.Length > options.MaxTurns
            ? StageResult.Drop(TooManyTurnsRule, $"{record.Messages.Length} turns, max_turns {options.MaxTurns}")
            : StageResult.Keep(record);
    }
}
