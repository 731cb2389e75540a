using Curation.Core.Records;

namespace Curation.Classifier;

/// <summary>The one text a record is classified by: every turn as <c>role: content</c>, one per line.</summary>
public static class ClassifierText
{
    public static string Of(ChatRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return string.Join('\n', record.Messages.Select(message => $"{message.Role}: {message.Content}"));
    }
}
