using System.Collections.Immutable;
using System.Globalization;
using System.IO.Hashing;
using System.Text;
using Curation.Core.Records;
using Curation.Review.Decisions;

namespace Curation.Review.Queue;

/// <summary>The review tools an export can write for.</summary>
public enum ReviewTool
{
    LabelStudio,
    Argilla,
}

/// <summary>What goes to reviewers in one export: single records or near-duplicate pairs, under one batch id.</summary>
public sealed record ReviewQueue(ReviewBatch Batch, IReadOnlyList<ReviewItem> Items, IReadOnlyList<ReviewPair> Pairs)
{
    public static ReviewQueue ForRecords(ReviewTool tool, string selection, IReadOnlyList<ReviewItem> items) =>
        new(NewBatch(ReviewKind.Records, tool, selection, [.. items.Select(i => i.Record.Id)]), items, []);

    public static ReviewQueue ForPairs(ReviewTool tool, string selection, IReadOnlyList<ReviewPair> pairs) =>
        new(NewBatch(ReviewKind.Pairs, tool, selection, [.. pairs.SelectMany(p => new[] { p.Left.Id, p.Right.Id }).Distinct(StringComparer.Ordinal)]), [], pairs);

    public int Count => Items.Count + Pairs.Count;

    public static string ToolName(ReviewTool tool) => tool == ReviewTool.Argilla ? "argilla" : "label-studio";

    /// <summary>The id is a hash of what was selected, so exporting the same selection again gives the same batch.</summary>
    private static ReviewBatch NewBatch(ReviewKind kind, ReviewTool tool, string selection, ImmutableArray<string> ids)
    {
        var hash = new XxHash64();
        hash.Append(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{kind}\n{ToolName(tool)}\n{selection}\n")));
        foreach (var id in ids)
        {
            hash.Append(Encoding.UTF8.GetBytes(id));
            hash.Append([0]);
        }

        return new ReviewBatch("b-" + Convert.ToHexStringLower(hash.GetCurrentHash()), kind, ToolName(tool), selection, ids);
    }
}

/// <summary>How a conversation is shown to reviewers who see it as two texts: the turns before the answer, and the answer.</summary>
public static class ConversationText
{
    /// <summary>The last assistant turn's content; empty when there is none.</summary>
    public static string Response(ChatRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        for (var i = record.Messages.Length - 1; i >= 0; i--)
        {
            if (record.Messages[i].Role == Roles.Assistant)
            {
                return record.Messages[i].Content;
            }
        }

        return string.Empty;
    }

    /// <summary>Every turn before the last assistant turn as "**role**: content", one paragraph each.</summary>
    public static string Prompt(ChatRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var last = -1;
        for (var i = record.Messages.Length - 1; i >= 0 && last < 0; i--)
        {
            if (record.Messages[i].Role == Roles.Assistant)
            {
                last = i;
            }
        }

        var turns = last < 0 ? record.Messages : record.Messages[..last];
        return string.Join("\n\n", turns.Select(m => $"**{m.Role}**: {m.Content}"));
    }

    /// <summary>The whole conversation as "**role**: content" paragraphs.</summary>
    public static string Whole(ChatRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return string.Join("\n\n", record.Messages.Select(m => $"**{m.Role}**: {m.Content}"));
    }
}
