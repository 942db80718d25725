using Clovers.Monitor.Server.Storage;
using Clovers.Monitor.Server.Storage.Influx;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Tests.Storage.Influx;

public sealed class InfluxOptionsTests
{
    private const string Token = "s3cr3t-t0ken-value";

    [Fact]
    public void Validate_CompleteInfluxSection_Succeeds()
    {
        var result = new StorageOptionsValidator().Validate(null, InfluxStorage());

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Validate_InfluxProviderWithEmptySection_ListsUrlOrgBucketAndToken()
    {
        var options = new StorageOptions { Provider = StorageProviders.InfluxDb };

        var result = new StorageOptionsValidator().Validate(null, options);

        Assert.Collection(
            result.Failures!,
            f => Assert.Contains("Storage:Influx:Url", f, StringComparison.Ordinal),
            f => Assert.Contains("Storage:Influx:Org", f, StringComparison.Ordinal),
            f => Assert.Contains("Storage:Influx:Bucket", f, StringComparison.Ordinal),
            f => Assert.Contains("Storage:Influx:Token", f, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("influxdb:8086")]
    [InlineData("ftp://influxdb:8086")]
    [InlineData("/relative")]
    public void Validate_UrlNotAbsoluteHttp_Fails(string url)
    {
        var options = InfluxStorage();
        options.Influx.Url = url;

        var result = new StorageOptionsValidator().Validate(null, options);

        Assert.Contains("Storage:Influx:Url", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EveryProblem_NeverEchoesTheToken()
    {
        var options = InfluxStorage();
        options.Influx.Url = "http://admin:" + Token + "@influxdb:8086";
        options.Influx.Org = " ";
        options.Influx.BatchSize = 0;
        options.Influx.FlushIntervalMilliseconds = -1;
        options.Influx.RetryCount = -1;
        options.MaxBatchSize = 0;

        var result = new StorageOptionsValidator().Validate(null, options);

        Assert.Equal(6, result.Failures!.Count());
        Assert.All(result.Failures!, f => Assert.DoesNotContain(Token, f, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_SqliteProviderWithoutInfluxSection_Succeeds()
    {
        var result = new StorageOptionsValidator().Validate(null, new StorageOptions { Provider = "sqlite" });

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void AddStorage_InfluxProvider_RegistersTheInfluxStoreAndNoSqliteInitializer()
    {
        using var host = BuildHost(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "InfluxDB",
            ["Storage:Influx:Url"] = "http://127.0.0.1:1",
            ["Storage:Influx:Org"] = "clovers",
            ["Storage:Influx:Bucket"] = "monitor",
            ["Storage:Influx:Token"] = Token,
        });

        Assert.IsType<InfluxTimeSeriesStore>(host.Services.GetRequiredService<ITimeSeriesStore>());
        Assert.Null(host.Services.GetService<SqliteTimeSeriesStore>());
        Assert.DoesNotContain(host.Services.GetServices<IHostedService>(), s => s.GetType().Name == "StorageInitializer");
    }

    [Fact]
    public void AddStorage_NoProvider_RegistersTheSqliteStore()
    {
        using var host = BuildHost(new Dictionary<string, string?>());

        Assert.IsType<SqliteTimeSeriesStore>(host.Services.GetRequiredService<ITimeSeriesStore>());
    }

    [Fact]
    public async Task AddStorage_InfluxProviderWithoutToken_FailsTheStartWithoutSqlite()
    {
        using var host = BuildHost(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "influxdb",
            ["Storage:Influx:Url"] = "http://127.0.0.1:1",
            ["Storage:Influx:Org"] = "clovers",
            ["Storage:Influx:Bucket"] = "monitor",
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Storage:Influx:Token", Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    private static StorageOptions InfluxStorage() => new()
    {
        Provider = StorageProviders.InfluxDb,
        Influx = new InfluxOptions { Url = "https://influxdb.example:8086", Org = "clovers", Bucket = "monitor", Token = Token },
    };

    private static IHost BuildHost(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddStorage();
        return builder.Build();
    }
}
