using System.Globalization;
using Curation.Core;
using Microsoft.Data.Sqlite;

namespace Curation.Evaluation.Store;

/// <summary>
/// The runs of an evaluation store and their calls. Each call is committed as it is recorded, so a run stopped by
/// Ctrl+C keeps every call that finished.
/// </summary>
internal sealed class RunLog(EvalDatabase database, TimeProvider timeProvider)
{
    private const char ArmSeparator = '\n';

    /// <summary>Starts a run; its id is its start time (UTC, to the second), with <c>-2</c>, <c>-3</c>, ... when taken.</summary>
    public string BeginRun(string configHash, IReadOnlyList<string> arms)
    {
        if (arms.Any(arm => arm.Contains(ArmSeparator, StringComparison.Ordinal)))
        {
            throw new ArgumentException("arm names are single lines", nameof(arms));
        }

        var started = timeProvider.GetUtcNow();
        var stem = "run-" + started.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        return database.Use(connection =>
        {
            for (var suffix = 1; ; suffix++)
            {
                var runId = suffix == 1 ? stem : string.Create(CultureInfo.InvariantCulture, $"{stem}-{suffix}");
                using var command = connection.CreateCommand();
                command.CommandText = """
                    INSERT OR IGNORE INTO runs (run_id, started_at, finished_at, config_hash, status, arms)
                    VALUES ($id, $started, NULL, $config, $status, $arms)
                    """;
                command.Parameters.AddWithValue("$id", runId);
                command.Parameters.AddWithValue("$started", Format(started));
                command.Parameters.AddWithValue("$config", configHash);
                command.Parameters.AddWithValue("$status", Name(RunStatus.Running));
                command.Parameters.AddWithValue("$arms", string.Join(ArmSeparator, arms));
                if (command.ExecuteNonQuery() == 1)
                {
                    return runId;
                }
            }
        });
    }

    /// <summary>Records one finished call of <paramref name="runId"/>, committed at once.</summary>
    public void RecordCall(string runId, CallRecord call) => database.Use(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO calls (run_id, arm, item_id, repeat, prompt_version, input_tokens, output_tokens, latency_ms, cost, attempts,
                               cache_hit, error, answered_by, finish_reason, text)
            VALUES ($run, $arm, $item, $repeat, $prompt, $input, $output, $latency, $cost, $attempts, $hit, $error, $by, $finish, $text)
            """;
        command.Parameters.AddWithValue("$run", runId);
        command.Parameters.AddWithValue("$arm", call.Arm);
        command.Parameters.AddWithValue("$item", call.ItemId);
        command.Parameters.AddWithValue("$repeat", call.Repeat);
        command.Parameters.AddWithValue("$prompt", call.PromptVersion);
        command.Parameters.AddWithValue("$input", call.InputTokens);
        command.Parameters.AddWithValue("$output", call.OutputTokens);
        command.Parameters.AddWithValue("$latency", call.Latency.TotalMilliseconds);
        command.Parameters.AddWithValue("$cost", (object?)call.Cost ?? DBNull.Value);
        command.Parameters.AddWithValue("$attempts", call.Attempts);
        command.Parameters.AddWithValue("$hit", call.CacheHit ? 1 : 0);
        command.Parameters.AddWithValue("$error", (object?)call.Error ?? DBNull.Value);
        command.Parameters.AddWithValue("$by", call.AnsweredBy);
        command.Parameters.AddWithValue("$finish", (object?)call.FinishReason ?? DBNull.Value);
        command.Parameters.AddWithValue("$text", (object?)call.Text ?? DBNull.Value);
        try
        {
            return command.ExecuteNonQuery();
        }
        catch (SqliteException exception) when (exception.SqliteErrorCode == 19)
        {
            throw new CurationException($"{database.Path}: no run {runId} to record a call of", exception);
        }
    });

    /// <summary>Ends a run as <see cref="RunStatus.Completed"/> or <see cref="RunStatus.Interrupted"/>, at the clock's time.</summary>
    /// <param name="summary">The run's figures as JSON, for comparing runs later; none for an interrupted run.</param>
    public void FinishRun(string runId, RunStatus status, string? summary = null)
    {
        if (status == RunStatus.Running)
        {
            throw new ArgumentException("a run finishes completed or interrupted", nameof(status));
        }

        var updated = database.Use(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE runs SET finished_at = $finished, status = $status, summary = $summary WHERE run_id = $id";
            command.Parameters.AddWithValue("$summary", (object?)summary ?? DBNull.Value);
            command.Parameters.AddWithValue("$finished", Format(timeProvider.GetUtcNow()));
            command.Parameters.AddWithValue("$status", Name(status));
            command.Parameters.AddWithValue("$id", runId);
            return command.ExecuteNonQuery();
        });
        if (updated != 1)
        {
            throw new CurationException($"{database.Path}: no run {runId} to finish");
        }
    }

    /// <summary>The figures <paramref name="runId"/> finished with, or null when it has none (unknown, running or interrupted).</summary>
    public string? SummaryOf(string runId) => database.Use(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT summary FROM runs WHERE run_id = $id";
        command.Parameters.AddWithValue("$id", runId);
        return command.ExecuteScalar() as string;
    });

    /// <summary>Every run, oldest first (runs begun in the same second in the order they began).</summary>
    public IReadOnlyList<RunRecord> ListRuns() => database.Use(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT run_id, started_at, finished_at, config_hash, status, arms FROM runs ORDER BY started_at, rowid";
        using var reader = command.ExecuteReader();
        var runs = new List<RunRecord>();
        while (reader.Read())
        {
            var arms = reader.GetString(5);
            runs.Add(new RunRecord(
                reader.GetString(0),
                Parse(reader.GetString(1)),
                reader.GetStringOrNull(2) is { } finished ? Parse(finished) : null,
                reader.GetString(3),
                Enum.Parse<RunStatus>(reader.GetString(4), ignoreCase: true),
                arms.Length == 0 ? [] : arms.Split(ArmSeparator)));
        }

        return runs;
    });

    /// <summary>The calls of <paramref name="runId"/>, in the order they were recorded.</summary>
    public IReadOnlyList<CallRecord> CallsOf(string runId) => database.Use(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT arm, item_id, repeat, prompt_version, input_tokens, output_tokens, latency_ms, cost, attempts, cache_hit, error, answered_by,
                   text, finish_reason
            FROM calls WHERE run_id = $run ORDER BY seq
            """;
        command.Parameters.AddWithValue("$run", runId);
        using var reader = command.ExecuteReader();
        var calls = new List<CallRecord>();
        while (reader.Read())
        {
            calls.Add(new CallRecord(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetInt32(2),
                reader.GetString(3),
                reader.GetInt32(4),
                reader.GetInt32(5),
                TimeSpan.FromMilliseconds(reader.GetDouble(6)),
                reader.IsDBNull(7) ? null : reader.GetDouble(7),
                reader.GetInt32(8),
                reader.GetInt32(9) != 0,
                reader.GetStringOrNull(10),
                reader.GetString(11),
                reader.GetStringOrNull(12))
            {
                FinishReason = reader.GetStringOrNull(13),
            });
        }

        return calls;
    });

    private static string Name(RunStatus status) => status.ToString().ToLowerInvariant();

    private static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string time) =>
        DateTimeOffset.Parse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
