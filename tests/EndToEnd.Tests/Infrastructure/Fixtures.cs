namespace Clovers.Monitor.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Starts an expensive server once, on first use, and ends it with the fixture. A server that fails
/// to start fails the tests that need it, not the other tests of the collection.
/// </summary>
public sealed class LazyServer : IAsyncDisposable
{
    private readonly Lazy<Task<ServerProcess>> _server;

    public LazyServer(Func<ServerSettings> settings)
    {
        _server = new Lazy<Task<ServerProcess>>(() => ServerProcess.StartAsync(settings()));
    }

    public Task<ServerProcess> GetAsync() => _server.Value;

    public async ValueTask DisposeAsync()
    {
        if (!_server.IsValueCreated)
        {
            return;
        }

        try
        {
            var server = await _server.Value;
            await server.DisposeAsync();
        }
        catch (Exception exception) when (exception is InvalidOperationException or TimeoutException or FileNotFoundException)
        {
            // It never started; the tests that needed it already reported why.
        }
    }
}

/// <summary>mosquitto, and a server without demo that ingests through it as an external broker.</summary>
public sealed class InteropFixture : IAsyncLifetime
{
    private LazyServer? _server;

    public MosquittoFixture Broker { get; } = new();

    public Task<ServerProcess> GetServerAsync() =>
        (_server ?? throw new InvalidOperationException("The fixture is not initialised.")).GetAsync();

    public async Task InitializeAsync()
    {
        await Broker.InitializeAsync();
        _server = new LazyServer(() => ServerSettings.External(Broker.Port));
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        await Broker.DisposeAsync();
    }
}

/// <summary>A server as it runs out of the box: embedded broker, simulated platform on.</summary>
public sealed class DemoServerFixture : IAsyncLifetime
{
    private readonly LazyServer _server = new(ServerSettings.EmbeddedWithDemo);

    public Task<ServerProcess> GetServerAsync() => _server.GetAsync();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _server.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class InteropCollection : ICollectionFixture<InteropFixture>
{
    public const string Name = "mosquitto and an external-broker server";
}

[CollectionDefinition(Name)]
public sealed class DemoCollection : ICollectionFixture<DemoServerFixture>, ICollectionFixture<BrowserFixture>
{
    public const string Name = "demo server and browser";
}
