using System.Text;
using Curation.Core.Config;
using Curation.Core.Records;

namespace Curation.IO.Tests.Readers;

/// <summary>Reads a whole file through <see cref="FileRecordSource.ReadFileAsync(string, InputOptions, CancellationToken)"/> for assertions.</summary>
internal static class Items
{
    public static async Task<List<RawItem>> ReadAsync(string path, InputOptions? options = null, bool allowEmpty = false)
    {
        var items = new List<RawItem>();
        await foreach (var batch in FileRecordSource.ReadFileAsync(path, options ?? new InputOptions { Path = path }, allowEmpty, CancellationToken.None))
        {
            items.AddRange(batch);
        }

        return items;
    }

    public static async Task<List<RawItem[]>> ReadBatchesAsync(IAsyncEnumerable<RawItem[]> batches)
    {
        var all = new List<RawItem[]>();
        await foreach (var batch in batches)
        {
            all.Add(batch);
        }

        return all;
    }

    public static string Text(this RawItem item) => Encoding.UTF8.GetString(item.Utf8Json.Span);

    public static List<string> Texts(this IEnumerable<RawItem> items) => items.Select(Text).ToList();
}
