using System.Text.Encodings.Web;
using System.Text.Json;
using Curation.Evaluation.Runs;

namespace Curation.Evaluation.Reports;

/// <summary>
/// results.jsonl: one line per item, arm and repeat, in the order of the arms in the eval file, then items, then
/// repeats: the answer, its scores, error, tokens, latency, cost and whether the cache answered.
/// </summary>
internal static class ResultsFile
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <param name="scores">Scores of each call: metric name to score, metrics that did not apply left out.</param>
    public static void Write(Stream stream, AnsweredRun run, Func<RunCall, IReadOnlyDictionary<string, double>> scores)
    {
        foreach (var call in run.Calls)
        {
            using (var json = new Utf8JsonWriter(stream, Options))
            {
                json.WriteStartObject();
                json.WriteString("id", call.ItemId);
                json.WriteString("arm", call.Arm);
                json.WriteNumber("repeat", call.Repeat);
                json.WriteString("prompt_version", call.PromptVersion);
                json.WriteString("answer", call.Answer.Text);
                json.WriteString("error", call.Answer.Error);
                json.WriteString("answered_by", call.Answer.AnsweredBy);
                json.WriteStartObject("scores");
                foreach (var (metric, score) in scores(call).OrderBy(pair => pair.Key, StringComparer.Ordinal))
                {
                    json.WriteNumber(metric, Math.Round(score, 6));
                }

                json.WriteEndObject();
                json.WriteNumber("input_tokens", call.Answer.InputTokens);
                json.WriteNumber("output_tokens", call.Answer.OutputTokens);
                json.WriteNumber("latency_ms", Math.Round(call.Answer.Latency.TotalMilliseconds, 1));
                json.WriteNumber("attempts", call.Answer.Attempts);
                json.WriteNumber("cost", Math.Round(call.ListCost, 8));
                json.WriteBoolean("cache_hit", call.CacheHit);
                json.WriteEndObject();
            }

            stream.WriteByte((byte)'\n');
        }
    }
}
