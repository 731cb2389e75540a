using System.Globalization;
using System.Text;

namespace Curation.DataGen.Sample;

/// <summary>Writes the whole sample dataset and its README into a folder.</summary>
internal static class SampleDatasetWriter
{
    /// <returns>A short report of what was written.</returns>
    public static string Write(string outputFolder, ulong seed)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputFolder);
        var files = new SampleBuilder(seed).Build();
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        var report = new StringBuilder();
        foreach (var file in files)
        {
            var bytes = SampleFileWriter.Bytes(file);
            var path = Path.Combine(outputFolder, file.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, bytes);
            sizes[file.Path] = bytes.Length;
            report.Append(CultureInfo.InvariantCulture, $"{file.Path,-32} {file.Entries.Count,5} records {file.Entries.Count(e => e.Issue is not null),4} planted {bytes.Length,9:N0} bytes ({file.Skipped} near-duplicate candidates skipped)\n");
        }

        var readme = ReadmeWriter.Write(files, sizes, seed);
        File.WriteAllText(Path.Combine(outputFolder, "README.md"), readme, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        report.Append(CultureInfo.InvariantCulture, $"{"total",-32} {files.Sum(f => f.Entries.Count),5} records {files.Sum(f => f.Entries.Count(e => e.Issue is not null)),4} planted {sizes.Values.Sum(),9:N0} bytes");
        return report.ToString();
    }
}
