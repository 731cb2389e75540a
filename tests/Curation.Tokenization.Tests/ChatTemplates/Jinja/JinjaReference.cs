using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Curation.Tokenization.Tests.ChatTemplates.Jinja;

/// <summary>One template rendering to compare: the template, its variables, and the time strftime_now sees.</summary>
public sealed record ReferenceCase(string Template, JsonObject Context, DateTime Now)
{
    public static DateTime DefaultNow { get; } = new(2024, 7, 26, 10, 0, 0, DateTimeKind.Local);

    public ReferenceCase(string template, string contextJson = "{}")
        : this(template, JsonNode.Parse(contextJson)!.AsObject(), DefaultNow)
    {
    }
}

/// <summary>What Python's Jinja2 made of a case: the text and its generation spans, or the error it raised.</summary>
public sealed record ReferenceResult(string? Text, IReadOnlyList<(int Start, int End)> Generation, string? Error);

/// <summary>
/// Renders templates with Python's Jinja2 configured as transformers configures it (Reference/render_chat_template.py),
/// Debian's python3-jinja2 first. Tests skip, saying so, where python3 with jinja2 is absent.
/// </summary>
public static class JinjaReference
{
    private static readonly Lazy<string?> Python = new(FindPython);

    public static string? PythonWithJinja => Python.Value;

    public const string Missing = "python3 with jinja2 not found (apt-get install python3-jinja2): the comparison with Python's Jinja2 did not run";

    public static IReadOnlyList<ReferenceResult> Render(IReadOnlyList<ReferenceCase> cases)
    {
        var python = PythonWithJinja ?? throw new InvalidOperationException(Missing);
        var request = new JsonObject
        {
            ["cases"] = new JsonArray([.. cases.Select(c => (JsonNode)new JsonObject
            {
                ["template"] = c.Template,
                ["context"] = c.Context.DeepClone(),
                ["now"] = c.Now.ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
            })]),
        };
        var script = Path.Combine(AppContext.BaseDirectory, "Reference", "render_chat_template.py");
        var start = new ProcessStartInfo(python, [script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new System.Text.UTF8Encoding(false),
            StandardOutputEncoding = System.Text.Encoding.UTF8,
        };
        using var process = Process.Start(start)!;
        process.StandardInput.Write(request.ToJsonString());
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, stderr);
        using var results = JsonDocument.Parse(stdout.Result);
        return [.. results.RootElement.EnumerateArray().Select(result => new ReferenceResult(
            result.TryGetProperty("text", out var text) ? text.GetString() : null,
            result.TryGetProperty("generation", out var generation) ? [.. generation.EnumerateArray().Select(span => (span[0].GetInt32(), span[1].GetInt32()))] : [],
            result.TryGetProperty("error", out var error) ? error.GetString() : null))];
    }

    private static string? FindPython()
    {
        foreach (var candidate in new[] { "/usr/bin/python3", "python3" })
        {
            try
            {
                using var probe = Process.Start(new ProcessStartInfo(candidate, ["-c", "import jinja2.sandbox"]) { RedirectStandardError = true, RedirectStandardOutput = true });
                if (probe is null)
                {
                    continue;
                }

                probe.WaitForExit();
                if (probe.ExitCode == 0)
                {
                    return candidate;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
            }
        }

        return null;
    }
}
