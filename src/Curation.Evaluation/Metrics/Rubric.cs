using Curation.Core;

namespace Curation.Evaluation.Metrics;

/// <summary>What a judge grades by: markdown text, named after its file (<c>helpfulness.md</c> is <c>helpfulness</c>).</summary>
internal sealed record Rubric(string Name, string Text)
{
    /// <exception cref="CurationException">The file is missing, unreadable or empty.</exception>
    public static Rubric Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CurationException($"rubric {path}: cannot read it: {e.Message}");
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            throw new CurationException($"rubric {path}: the file is empty; write what a good answer does");
        }

        return new Rubric(Path.GetFileNameWithoutExtension(path), text.Trim());
    }
}
