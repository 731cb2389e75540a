using Curation.DataGen.ChatJsonl;
using Curation.DataGen.Cli;
using Curation.DataGen.Sample;

namespace Curation.DataGen;

internal static class Program
{
    private const string Usage = """
        usage:
          curation-datagen sample --out DIR [--seed N]
              Writes the sample dataset (all input formats, with planted problems and a README).
          curation-datagen chat-jsonl --out FILE --size SIZE [--seed N] [--avg-bytes N]
              Writes a large OpenAI-messages JSONL file for throughput benchmarks (SIZE like 1GB, 200MB).
          curation-datagen labelled --out FILE [--records N] [--seed N]
              Writes a keep/drop labelled set for the quality classifier.
        """;

    private static readonly Dictionary<string, string[]> Verbs = new(StringComparer.Ordinal)
    {
        ["sample"] = ["out", "seed"],
        ["chat-jsonl"] = ["out", "size", "seed", "avg-bytes"],
        ["labelled"] = ["out", "records", "seed"],
    };

    public static int Main(string[] args)
    {
        try
        {
            var arguments = Arguments.Parse(args, Verbs);
            switch (arguments.Verb)
            {
                case "sample":
                    {
                        var report = SampleDatasetWriter.Write(arguments.Required("out"), arguments.Seed(7));
                        Console.WriteLine(report);
                        break;
                    }

                case "labelled":
                    {
                        Console.WriteLine(Labelled.LabelledQualityWriter.Write(arguments.Required("out"), arguments.Int("records", 600, 10, 1_000_000), arguments.Seed(11)));
                        break;
                    }

                default:
                    {
                        var options = new ChatJsonlOptions(
                            arguments.Required("out"),
                            ByteSizeArgument.Parse(arguments.Required("size")),
                            arguments.Seed(1),
                            arguments.Int("avg-bytes", 1500, 300, 1_000_000));
                        var result = ChatJsonlWriter.Write(options);
                        Console.WriteLine(result);
                        break;
                    }
            }

            return 0;
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine("error: " + e.Message);
            Console.Error.WriteLine(Usage);
            return 2;
        }
        catch (IOException e)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 1;
        }
        catch (UnauthorizedAccessException e)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 1;
        }
    }
}
