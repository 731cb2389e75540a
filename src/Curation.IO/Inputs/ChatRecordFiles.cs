using Curation.Core;
using Curation.Core.Config;
using Curation.Core.Records;
using Curation.IO.Formats;

namespace Curation.IO.Inputs;

/// <summary>Reads chat records from files, folders or globs in any input format; a record that does not decode is an error naming it.</summary>
public static class ChatRecordFiles
{
    public static Task<List<ChatRecord>> ReadAsync(IEnumerable<string> inputs, CancellationToken cancellationToken) =>
        ReadAsync(inputs, Environment.CurrentDirectory, cancellationToken);

    /// <param name="baseDirectory">The folder relative paths and globs are resolved against.</param>
    public static async Task<List<ChatRecord>> ReadAsync(IEnumerable<string> inputs, string baseDirectory, CancellationToken cancellationToken)
    {
        var records = new List<ChatRecord>();
        foreach (var input in inputs)
        {
            var options = new InputOptions { Path = input };
            var decoder = new RecordDecoder(options);
            foreach (var path in InputResolver.Resolve(options, baseDirectory))
            {
                long sequence = 0;
                await foreach (var batch in FileRecordSource.ReadFileAsync(path, options, allowEmpty: false, cancellationToken))
                {
                    foreach (var item in batch)
                    {
                        var envelope = decoder.Decode(item, sequence++);
                        records.Add(envelope.Record ?? throw new CurationException($"{envelope.Reject!.Source}: {envelope.Reject.Rule}: {envelope.Reject.Detail}"));
                    }

                    FileRecordSource.ReleaseBatch(batch);
                }
            }
        }

        return records;
    }
}
