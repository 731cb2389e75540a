using Curation.DataGen.Text;

namespace Curation.DataGen.Content;

/// <summary>Sample rows and shared phrasing for generated code answers.</summary>
internal static class CodeSample
{
    private static readonly string[] Contexts =
    [
        "", "", "I'm writing a small internal tool. ", "This is for a script at work. ", "I'm new to {0}. ",
        "I have data coming back from our API. ", "Quick question for a side project. ", "We're cleaning up some old code. ",
        "I'm preparing for a coding interview. ", "Our reporting job needs this. ",
    ];

    private static readonly string[] Intros =
    [
        "Here's a straightforward way to do it in {0}:", "You can do this in a few lines of {0}:",
        "A clean {0} version looks like this:", "Here is one way to write it:", "This {0} snippet does what you describe:",
        "Sure, here's an implementation:", "The idiomatic {0} approach is:",
    ];

    public static string Context(DeterministicRandom rng, string language) =>
        string.Format(System.Globalization.CultureInfo.InvariantCulture, rng.Pick(Contexts), language);

    public static string Intro(DeterministicRandom rng, string language) =>
        string.Format(System.Globalization.CultureInfo.InvariantCulture, rng.Pick(Intros), language);

    public static string Fence(string language) => language switch
    {
        "Python" => "python",
        "JavaScript" => "javascript",
        "C#" => "csharp",
        "Go" => "go",
        "SQL" => "sql",
        _ => "bash",
    };

    /// <summary>Three example rows, as (key, number) pairs.</summary>
    public static (string Key, int Number)[] Rows(DeterministicRandom rng, CodeEntity entity) =>
        [.. Enumerable.Range(0, 3).Select(_ => (rng.Pick(entity.KeyValues), rng.Between(entity.Low, entity.High)))];

    public static int Threshold(DeterministicRandom rng, CodeEntity entity)
    {
        var span = entity.High - entity.Low;
        var raw = entity.Low + span * rng.Between(25, 75) / 100;
        var step = span >= 1000 ? 1000 : span >= 100 ? 10 : 1;
        return raw / step * step;
    }

    /// <summary>gofmt-aligned struct body lines.</summary>
    public static string GoFields(params (string Name, string Type)[] fields)
    {
        var width = fields.Max(f => f.Name.Length);
        return string.Join("\n", fields.Select(f => "\t" + f.Name.PadRight(width) + " " + f.Type));
    }
}
