using System.Globalization;
using System.Text;
using System.Text.Json;
using Curation.TestKit;
using Parquet;
using Parquet.Schema;

namespace Curation.Cli.Tests.EndToEnd;

/// <summary>
/// <c>curate run --tasks N</c> over one large CSV file (quoted cells spanning lines) and one Parquet file of several
/// row groups: the file is cut into ranges read by different tasks, and the merged output is the single process's,
/// byte for byte, rejects naming their rows included.
/// </summary>
public sealed class CutInputsLocalTasksTests
{
    private const string Stages = "stages:\n  - normalize\n  - validate\n";

    [Fact]
    public async Task CsvWithQuotedCellsOverSeveralLines_IsCutAtRowStarts_AndGivesTheSingleProcessBytes()
    {
        using var temp = new TempFolder();
        int[] broken = [5, 150, 399];
        var input = temp.Write("in/faq.csv", Csv(400, broken));
        var inputs = $"inputs:\n  - path: {input}\n    fields: {{ prompt: question, response: answer }}\n";
        var pipeline = temp.Write("p.yaml", LocalTasksTests.Pipeline(inputs, Stages, temp.File("out")));

        var plain = await AssertSameAsSingleProcessAsync(temp, pipeline);

        var rejects = File.ReadAllLines(Path.Combine(plain, "rejects.jsonl")).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(broken, rejects.Select(reject => reject.GetProperty("source").GetProperty("row").GetInt32()));
        Assert.All(rejects, reject => Assert.Equal("malformed-row", reject.GetProperty("rule").GetString()));
        var bytes = File.ReadAllBytes(input);
        foreach (var piece in Pieces(temp.File("work-4")).Skip(1))
        {
            // A range starts after a line feed that ends a row, never inside a quoted cell.
            var start = piece.GetProperty("start").GetInt64();
            Assert.Equal((byte)'\n', bytes[start - 1]);
            Assert.Equal(0, Encoding.UTF8.GetString(bytes, 0, (int)start).Count(c => c == '"') % 2);
            Assert.True(piece.GetProperty("rows_before").GetInt64() < piece.GetProperty("lines_before").GetInt64());
        }

        // The same bytes written again: the plan's ranges may no longer be trusted, so a relaunch refuses the old parts.
        File.WriteAllBytes(input, bytes);
        File.SetLastWriteTimeUtc(input, File.GetLastWriteTimeUtc(input).AddSeconds(1));
        var again = await CurateProcess.RunAsync(["run", pipeline, "-o", temp.File("tasks-4"), "--tasks", "4", "--work-dir", temp.File("work-4")]);
        Assert.Equal(ExitCodes.UsageOrConfig, again.ExitCode);
        Assert.Contains("holds parts of a different plan (input ", again.Error, StringComparison.Ordinal);
        Assert.Contains("faq.csv changed since it was planned)", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ParquetWithSeveralRowGroups_IsCutAtRowGroups_AndGivesTheSingleProcessBytes()
    {
        using var temp = new TempFolder();
        var input = temp.File("in/chat.parquet");
        await WriteParquetAsync(input, [70, 40, 90, 55, 80, 65]);
        var pipeline = temp.Write("p.yaml", LocalTasksTests.Pipeline($"inputs:\n  - {input}\n", Stages, temp.File("out")));

        var plain = await AssertSameAsSingleProcessAsync(temp, pipeline);

        // Every 13th row has no completion: it is rejected when read, naming the row a single process names.
        var rejected = File.ReadAllLines(Path.Combine(plain, "rejects.jsonl")).Select(line => JsonDocument.Parse(line).RootElement.GetProperty("source").GetProperty("row").GetInt32());
        Assert.Equal(Enumerable.Range(1, 400).Where(row => row % 13 == 0), rejected);
        Assert.All(Pieces(temp.File("work-4")).Skip(1), piece => Assert.True(piece.GetProperty("rows_before").GetInt64() > 0));
    }

    [Fact]
    public async Task CsvWithAQuoteNeverClosed_FailsTheTaskWithTheSingleProcessMessage()
    {
        using var temp = new TempFolder();
        var input = temp.Write("in/faq.csv", Csv(300, []) + "\"never closed,x\nmore,rows\n");
        var inputs = $"inputs:\n  - path: {input}\n    fields: {{ prompt: question, response: answer }}\n";
        var pipeline = temp.Write("p.yaml", LocalTasksTests.Pipeline(inputs, Stages, temp.File("out")));
        var plain = await CliRunner.RunAsync("run", pipeline, "-o", temp.File("plain"));
        Assert.Equal(ExitCodes.RunFailed, plain.ExitCode);
        var message = System.Text.RegularExpressions.Regex.Match(plain.Error, "curate: run failed: (.*); partial outputs").Groups[1].Value;
        Assert.EndsWith("faq.csv: row 301 (line 387): a quoted cell is never closed, so the rest of the file ran into it", message, StringComparison.Ordinal);

        var run = await CurateProcess.RunAsync(["run", pipeline, "-o", temp.File("tasks"), "--tasks", "3", "--work-dir", temp.File("work")]);

        Assert.Equal(ExitCodes.RunFailed, run.ExitCode);
        Assert.True(run.Error.Contains($"curate: task 2 failed: {message} (log: ", StringComparison.Ordinal), run.Error);
        Assert.Equal(3, Pieces(temp.File("work")).Count);
    }

    // The single-process run, then 1 to 4 tasks: the same data and rejects bytes and input lines of the manifest; with
    // more than one task the file is read as one range per task.
    private static async Task<string> AssertSameAsSingleProcessAsync(TempFolder temp, string pipeline)
    {
        var plain = temp.File("plain");
        var (exitCode, _, error) = await CliRunner.RunAsync("run", pipeline, "-o", plain);
        Assert.True(exitCode == ExitCodes.Ok, error);
        foreach (var tasks in new[] { 1, 2, 3, 4 })
        {
            var count = tasks.ToString(CultureInfo.InvariantCulture);
            var output = temp.File($"tasks-{count}");
            var run = await CurateProcess.RunAsync(["run", pipeline, "-o", output, "--tasks", count, "--work-dir", temp.File($"work-{count}")]);
            Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
            LocalTasksTests.AssertSameBytes(plain, output, "data.jsonl");
            LocalTasksTests.AssertSameBytes(plain, output, "rejects.jsonl");
            Assert.Equal(Inputs(plain), Inputs(output));
            var pieces = Pieces(temp.File($"work-{count}"));
            Assert.Equal(tasks, pieces.Count);
            Assert.True(tasks == 1 || pieces.All(piece => piece.TryGetProperty("end", out _)), $"{tasks} tasks: each reads a range of the one file");
        }

        return plain;
    }

    private static List<JsonElement> Pieces(string work)
    {
        using var plan = JsonDocument.Parse(File.ReadAllText(Path.Combine(work, "plan.json")));
        return [.. plan.RootElement.GetProperty("shards").EnumerateArray().SelectMany(shard => shard.GetProperty("pieces").EnumerateArray()).Select(piece => piece.Clone())];
    }

    private static string Inputs(string folder)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json")));
        return manifest.RootElement.GetProperty("inputs").GetRawText();
    }

    // A BOM, CRLF and LF row ends, a blank line, quoted cells with line breaks, doubled quotes and delimiters in them, rows with one cell.
    private static string Csv(int rows, IReadOnlyCollection<int> broken)
    {
        var text = new StringBuilder("\uFEFFquestion,answer\r\n");
        for (var row = 1; row <= rows; row++)
        {
            if (broken.Contains(row))
            {
                text.Append(CultureInfo.InvariantCulture, $"only one cell {row}\n");
            }
            else if (row % 7 == 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"\"Question {row}:\nwhy \"\"quotes\"\", and commas?\",\"Answer {row}, on\r\ntwo lines {new string('x', row % 50)}\"\r\n");
            }
            else
            {
                text.Append(CultureInfo.InvariantCulture, $"Question {row}: what is {row}?,Answer {row} is a number {new string('y', row % 40)}\n");
            }

            if (row == 100)
            {
                text.Append('\n');
            }
        }

        return text.ToString();
    }

    private static async Task WriteParquetAsync(string path, int[] groups)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var prompt = new DataField<string>("prompt");
        var completion = new DataField<string>("completion");
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(prompt, completion), stream);
        var row = 1;
        foreach (var rows in groups)
        {
            using var group = writer.CreateRowGroup();
            var numbers = Enumerable.Range(row, rows).ToArray();
            await group.WriteAsync(prompt, numbers.Select(n => $"Question {n}: what is the number after {n - 1}?").ToArray());
            await group.WriteAsync(completion, numbers.Select(n => n % 13 == 0 ? null : $"It is {n}, one more than {n - 1}.").ToArray());
            row += rows;
        }
    }
}
