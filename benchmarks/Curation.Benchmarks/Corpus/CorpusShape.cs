namespace Curation.Benchmarks.Corpus;

/// <summary>The JSON shape a generated corpus is written in.</summary>
public enum CorpusShape
{
    /// <summary><c>{"id", "messages": [{"role", "content", "weight"?}]}</c>.</summary>
    OpenAi,

    /// <summary><c>{"id", "conversations": [{"from", "value"}]}</c>.</summary>
    ShareGpt,

    /// <summary><c>{"id", "system"?, "history"?, "instruction", "input", "output"}</c>.</summary>
    Alpaca,
}
