using System.Globalization;
using Curation.Core;
using Microsoft.Data.Sqlite;

namespace Curation.Evaluation.Store;

/// <summary>
/// The SQLite file behind the response cache and the run log: created with its schema on first open, in WAL mode,
/// one connection shared under a lock so that concurrent calls can record safely; each write commits on its own.
/// </summary>
internal sealed class EvalDatabase : IDisposable
{
    /// <summary>The schema this code reads and writes (<c>PRAGMA user_version</c>).</summary>
    public const int SchemaVersion = 1;

    private const string Schema = """
        CREATE TABLE responses (
            key TEXT PRIMARY KEY,
            text TEXT NOT NULL,
            input_tokens INTEGER NOT NULL,
            output_tokens INTEGER NOT NULL,
            latency_ms REAL NOT NULL,
            attempts INTEGER NOT NULL,
            answered_by TEXT NOT NULL,
            finish_reason TEXT,
            stored_at TEXT NOT NULL
        );
        CREATE TABLE runs (
            run_id TEXT PRIMARY KEY,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            config_hash TEXT NOT NULL,
            status TEXT NOT NULL,
            arms TEXT NOT NULL,
            summary TEXT
        );
        CREATE TABLE calls (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            run_id TEXT NOT NULL REFERENCES runs(run_id),
            arm TEXT NOT NULL,
            item_id TEXT NOT NULL,
            repeat INTEGER NOT NULL,
            prompt_version TEXT NOT NULL,
            input_tokens INTEGER NOT NULL,
            output_tokens INTEGER NOT NULL,
            latency_ms REAL NOT NULL,
            cost REAL,
            attempts INTEGER NOT NULL,
            cache_hit INTEGER NOT NULL,
            error TEXT,
            answered_by TEXT NOT NULL,
            finish_reason TEXT,
            text TEXT
        );
        CREATE INDEX calls_by_run ON calls(run_id, seq);
        """;

    private readonly SqliteConnection _connection;
    private readonly Lock _lock = new();

    private EvalDatabase(SqliteConnection connection, string path)
    {
        _connection = connection;
        Path = path;
    }

    public string Path { get; }

    /// <summary>Opens the store at <paramref name="path"/>, creating the file and its folder when absent.</summary>
    public static EvalDatabase Open(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (System.IO.Path.GetDirectoryName(full) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = full, Pooling = false }.ToString());
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA busy_timeout = 10000;");
            var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version;"), CultureInfo.InvariantCulture);
            if (version > SchemaVersion)
            {
                throw new CurationException($"{full}: evaluation store has schema version {version}; this curate reads version {SchemaVersion}");
            }

            Execute(connection, "PRAGMA journal_mode = WAL;");
            Execute(connection, "PRAGMA synchronous = NORMAL;");
            Execute(connection, "PRAGMA foreign_keys = ON;");
            if (version == 0)
            {
                using var transaction = connection.BeginTransaction();
                Execute(connection, Schema + $"PRAGMA user_version = {SchemaVersion};", transaction);
                transaction.Commit();
            }

            return new EvalDatabase(connection, full);
        }
        catch (SqliteException exception)
        {
            connection.Dispose();
            throw new CurationException($"{full}: not a usable evaluation store ({exception.Message})", exception);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Runs <paramref name="work"/> on the connection, one caller at a time.</summary>
    public T Use<T>(Func<SqliteConnection, T> work)
    {
        lock (_lock)
        {
            return work(_connection);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _connection.Dispose();
        }
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
