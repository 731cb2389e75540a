using System.Runtime.Serialization;

namespace Curation.Core.Records;

/// <summary>The shape of an input record. <see cref="Auto"/> detects it per record.</summary>
public enum InputFormat
{
    Auto,

    /// <summary>{instruction, input, output} (optionally system, history).</summary>
    Alpaca,

    /// <summary>{conversations: [{from, value}]} with ShareGPT role names (human, gpt, system, tool...).</summary>
    [EnumMember(Value = "sharegpt")]
    ShareGpt,

    /// <summary>{messages: [{role, content, weight?}]}.</summary>
    [EnumMember(Value = "openai")]
    OpenAi,

    /// <summary>{prompt, completion} (also prompt/response, question/answer through field mapping).</summary>
    PromptCompletion,

    /// <summary>{text}: a single assistant turn with no prompt (continued pre-training style).</summary>
    Text,
}

/// <summary>The shape of the output file.</summary>
public enum OutputFormat
{
    /// <summary>OpenAI chat fine-tuning JSONL: {"messages": [...]}.</summary>
    [EnumMember(Value = "openai")]
    OpenAi,

    /// <summary>Alpaca JSONL: {instruction, input, output, system?, history?}.</summary>
    Alpaca,

    /// <summary>ShareGPT JSONL: {conversations: [{from, value}]}.</summary>
    [EnumMember(Value = "sharegpt")]
    ShareGpt,

    /// <summary>Parquet with columns id, messages (list of role/content structs), metadata (JSON), source.</summary>
    Parquet,
}
