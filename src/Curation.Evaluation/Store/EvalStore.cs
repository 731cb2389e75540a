namespace Curation.Evaluation.Store;

/// <summary>An evaluation store file: its response cache and its run log.</summary>
internal sealed class EvalStore : IDisposable
{
    private readonly EvalDatabase _database;

    private EvalStore(EvalDatabase database, TimeProvider timeProvider)
    {
        _database = database;
        Cache = new ResponseCache(database, timeProvider);
        Runs = new RunLog(database, timeProvider);
    }

    public ResponseCache Cache { get; }

    public RunLog Runs { get; }

    public string Path => _database.Path;

    /// <summary>Opens (or creates) the store at <paramref name="path"/>; a one-line CurationException when the file is not one.</summary>
    public static EvalStore Open(string path, TimeProvider timeProvider) => new(EvalDatabase.Open(path), timeProvider);

    public void Dispose() => _database.Dispose();
}
