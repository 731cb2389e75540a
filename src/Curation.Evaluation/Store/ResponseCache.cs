using System.Globalization;
using Curation.Evaluation.Arms;

namespace Curation.Evaluation.Store;

/// <summary>Answers by <see cref="CacheKey"/>: a rerun takes a call it finished before from here instead of the endpoint.</summary>
internal sealed class ResponseCache(EvalDatabase database, TimeProvider timeProvider)
{
    /// <summary>The stored answer, with <see cref="ArmAnswer.Attempts"/> 0 (no call made); null when none is stored.</summary>
    public ArmAnswer? Get(string key) => database.Use(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT text, input_tokens, output_tokens, latency_ms, answered_by, finish_reason FROM responses WHERE key = $key";
        command.Parameters.AddWithValue("$key", key);
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? new ArmAnswer(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), TimeSpan.FromMilliseconds(reader.GetDouble(3)), 0, null, reader.GetString(4))
            {
                FinishReason = reader.GetStringOrNull(5),
            }
            : null;
    });

    /// <summary>Stores a successful answer under <paramref name="key"/>, replacing any stored before.</summary>
    public void Put(string key, ArmAnswer answer)
    {
        if (answer.Failed)
        {
            throw new ArgumentException($"a failed answer ({answer.Error}) is not cached: a rerun asks again", nameof(answer));
        }

        database.Use(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT OR REPLACE INTO responses (key, text, input_tokens, output_tokens, latency_ms, attempts, answered_by, finish_reason, stored_at)
                VALUES ($key, $text, $input, $output, $latency, $attempts, $by, $finish, $at)
                """;
            command.Parameters.AddWithValue("$key", key);
            command.Parameters.AddWithValue("$text", answer.Text);
            command.Parameters.AddWithValue("$input", answer.InputTokens);
            command.Parameters.AddWithValue("$output", answer.OutputTokens);
            command.Parameters.AddWithValue("$latency", answer.Latency.TotalMilliseconds);
            command.Parameters.AddWithValue("$attempts", answer.Attempts);
            command.Parameters.AddWithValue("$by", answer.AnsweredBy);
            command.Parameters.AddWithValue("$finish", (object?)answer.FinishReason ?? DBNull.Value);
            command.Parameters.AddWithValue("$at", timeProvider.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
            return command.ExecuteNonQuery();
        });
    }

    public int Count => database.Use(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM responses";
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    });
}
