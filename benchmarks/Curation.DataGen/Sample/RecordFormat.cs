namespace Curation.DataGen.Sample;

/// <summary>The record shape a sample file is written in.</summary>
internal enum RecordFormat
{
    OpenAi,
    Alpaca,
    ShareGpt,
    PromptCompletion,
    Text,
    FaqCsv,
    GlossaryTsv,
    Parquet,
}
