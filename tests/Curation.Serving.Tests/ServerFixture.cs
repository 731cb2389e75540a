using Curation.TestKit;

namespace Curation.Serving.Tests;

/// <summary>The tiny models, and one <c>curate serve</c> of the base model with both adapters (as "ft-a" and "ft-b").</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private ServeProcess? _server;

    public TinyModels Models { get; } = new();

    internal ServeProcess Server => _server ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        await Models.InitializeAsync();
        _server = await ServeProcess.StartAsync(Curate.Assembly, "--model", Models.Base, "--adapter", $"ft-a={Models.AdapterA}", "--adapter", $"ft-b={Models.AdapterB}", "--max-batch", "8");
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        await Models.DisposeAsync();
    }
}

/// <summary>The test classes that share one <see cref="ServerFixture"/> (made once: training the adapters takes a while).</summary>
[CollectionDefinition(Name)]
public sealed class ServedCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "served tiny model";
}
