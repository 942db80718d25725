using Clovers.Monitor.Server.Ingest;
using Clovers.Monitor.Server.State;
using Clovers.Monitor.Server.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Clovers.Monitor.Server.Tests.State;

public sealed class StateRegistrationTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "clovers-state-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task AddState_HostStarts_MigratesStateDbInTheDataDirectory()
    {
        using var host = BuildHost();

        await host.StartAsync();

        var database = host.Services.GetRequiredService<StateDatabase>();
        Assert.Equal(Path.Combine(_directory, StateDatabase.FileName), database.DatabasePath);
        Assert.Equal(Migrations.LatestVersion, await database.ReadVersionAsync());
        await host.StopAsync();
    }

    [Fact]
    public async Task AddState_StartThenStop_RecordsBothInServerEvents()
    {
        using (var host = BuildHost())
        {
            await host.StartAsync();
            await host.StopAsync();
        }

        using var second = BuildHost();
        await second.StartAsync();
        var events = await second.Services.GetRequiredService<ServerEventLog>().RecentAsync(10, CancellationToken.None);
        await second.StopAsync();

        Assert.Equal([ServerEventKinds.Started, ServerEventKinds.Stopped, ServerEventKinds.Started], events.Select(e => e.Kind));
    }

    [Fact]
    public void AddState_Always_RegistersTheAgentHistoryStage()
    {
        using var host = BuildHost();

        Assert.Contains(host.Services.GetServices<IIngestStage>(), stage => stage is AgentHistoryRecorder);
    }

    [Fact]
    public async Task AddState_FileNewerThanTheCode_FailsTheStart()
    {
        Directory.CreateDirectory(_directory);
        using (var future = new StateDatabase(
            Path.Combine(_directory, StateDatabase.FileName),
            [.. Migrations.All, new(Migrations.LatestVersion + 1, "from the future", "SELECT 1;")],
            TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<StateDatabase>.Instance))
        {
            await future.MigrateAsync();
        }

        using var host = BuildHost();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());
        Assert.Contains("newer than", error.Message, StringComparison.Ordinal);
    }

    private IHost BuildHost()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{StorageOptions.SectionName}:{nameof(StorageOptions.DataDirectory)}"] = _directory,
        });
        builder.AddStorage();
        builder.AddState();
        return builder.Build();
    }
}
