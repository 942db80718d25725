using Clovers.Monitor.Server.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Tests.Storage;

public sealed class StorageRegistrationTests
{
    [Fact]
    public void Validate_DefaultOptions_Succeeds()
    {
        var result = new StorageOptionsValidator().Validate(null, new StorageOptions());

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Validate_SeveralProblems_ListsEveryOne()
    {
        var options = new StorageOptions
        {
            Provider = "Cassandra",
            DataDirectory = " ",
            MaxBatchSize = 0,
            RawRetention = TimeSpan.Zero,
            OneHourRollupRetention = TimeSpan.FromDays(1),
        };

        var result = new StorageOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Collection(
            result.Failures!,
            f => Assert.Contains("Provider", f, StringComparison.Ordinal),
            f => Assert.Contains("DataDirectory", f, StringComparison.Ordinal),
            f => Assert.Contains("MaxBatchSize", f, StringComparison.Ordinal),
            f => Assert.Contains("RawRetention must be at least one hour", f, StringComparison.Ordinal),
            f => Assert.Contains("OneHourRollupRetention", f, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddStorage_HostStarts_RegistersOneSqliteStoreAndCreatesTheFile()
    {
        var directory = Path.Combine(Path.GetTempPath(), "clovers-storage-tests-" + Guid.NewGuid().ToString("N"));
        try
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                [$"{StorageOptions.SectionName}:{nameof(StorageOptions.DataDirectory)}"] = directory,
            });
            builder.AddStorage();
            using var host = builder.Build();

            await host.StartAsync();

            Assert.Same(host.Services.GetRequiredService<SqliteTimeSeriesStore>(), host.Services.GetRequiredService<ITimeSeriesStore>());
            Assert.True(File.Exists(Path.Combine(directory, SqliteTimeSeriesStore.FileName)));
            await host.StopAsync();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task AddStorage_InvalidSection_FailsTheStart()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{StorageOptions.SectionName}:{nameof(StorageOptions.Provider)}"] = "Nowhere",
            [$"{StorageOptions.SectionName}:{nameof(StorageOptions.MaxBatchSize)}"] = "-1",
        });
        builder.AddStorage();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal(2, error.Failures.Count());
    }
}
