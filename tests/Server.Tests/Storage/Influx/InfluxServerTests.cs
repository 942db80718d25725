using System.Globalization;
using Clovers.Monitor.Server.Storage.Influx;
using Clovers.Monitor.Server.Tests.Storage.Contract;
using Clovers.Monitor.Shared.Protocol;
using InfluxDB.Client;
using Microsoft.Extensions.Logging.Abstractions;

namespace Clovers.Monitor.Server.Tests.Storage.Influx;

/// <summary>Against a real InfluxDB 2 server only: the layout Grafana dashboards rely on.</summary>
public sealed class InfluxServerTests
{
    [InfluxFact]
    public async Task WriteAsync_Reading_LandsAsFloatValueAndIntegerQualityUnderTheSchemaNames()
    {
        var options = InfluxEnvironment.Options();
        var channel = "schema" + Guid.NewGuid().ToString("N")[..12] + ".dewar.temperature";
        var at = new DateTimeOffset(DateTimeOffset.UtcNow.UtcDateTime.Date, TimeSpan.Zero).AddDays(-1);
        await using (var store = new InfluxTimeSeriesStore(options, TimeProvider.System, NullLogger<InfluxTimeSeriesStore>.Instance))
        {
            await store.WriteAsync([new Reading(channel, at, 77.5, Quality.Bad)], CancellationToken.None);
        }

        using var client = new InfluxDBClient(options.Url, options.Token);
        var flux =
            $"from(bucket: {FluxQueries.StringLiteral(options.Bucket)}) " +
            $"|> range(start: {Rfc3339(at)}, stop: {Rfc3339(at.AddSeconds(1))}) " +
            $"|> filter(fn: (r) => r[{FluxQueries.StringLiteral(InfluxSchema.ChannelTag)}] == {FluxQueries.StringLiteral(channel)})";
        var tables = await client.GetQueryApi().QueryAsync(flux, options.Org);

        var fields = tables.SelectMany(t => t.Records).ToDictionary(r => r.GetField(), r => (r.GetMeasurement(), r.GetValue()));
        Assert.Equal((InfluxSchema.Measurement, (object)77.5), fields[InfluxSchema.ValueField]);
        Assert.Equal((InfluxSchema.Measurement, (object)2L), fields[InfluxSchema.QualityField]);
    }

    private static string Rfc3339(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
