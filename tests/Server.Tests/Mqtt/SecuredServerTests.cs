using System.Net.Http.Json;
using Clovers.Monitor.Server.Tests.Integration;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Auth;
using Clovers.Monitor.Shared.Control;
using Microsoft.AspNetCore.Hosting;
using MQTTnet;

namespace Clovers.Monitor.Server.Tests.Mqtt;

/// <summary>The whole Server with anonymous MQTT refused: its own clients still work on their internal logins.</summary>
public sealed class SecuredServerTests(SecuredServerTests.SecuredDemoServer server) : IClassFixture<SecuredServerTests.SecuredDemoServer>
{
    [Fact]
    public async Task Ingest_OfTheDemoPlatform_WorksWithoutAnonymousAccess()
    {
        using var http = await server.CreateClientAsync(MonitorRoles.Viewer);

        var channels = await Eventually.ReturnsAsync(
            () => http.GetFromJsonAsync(ApiRoutes.Channels, ApiJsonContext.Default.IReadOnlyListChannelState)!,
            list => list!.Any(c => c.Id == "cryo.ln2.level" && c.Value is not null),
            TimeSpan.FromSeconds(20));

        Assert.NotEmpty(channels!);
    }

    [Fact]
    public async Task Spectra_OfTheDemoDaq_ArriveWithoutAnonymousAccess()
    {
        using var http = await server.CreateClientAsync(MonitorRoles.Viewer);

        var spectra = await Eventually.ReturnsAsync(
            () => http.GetFromJsonAsync(SpectraRoutes.Spectra, ApiJsonContext.Default.IReadOnlyListSpectrumSummary)!,
            list => list!.Any(s => s.TotalCounts > 0),
            TimeSpan.FromSeconds(30));

        Assert.Contains(spectra!, s => s.TotalCounts > 0);
    }

    [Fact]
    public async Task HvCommand_ToTheDemoAgent_IsAnsweredWithoutAnonymousAccess()
    {
        using var http = await server.CreateClientAsync(MonitorRoles.Expert);
        await Eventually.ReturnsAsync(
            () => http.GetFromJsonAsync(ApiRoutes.Channels, ApiJsonContext.Default.IReadOnlyListChannelState)!,
            list => list!.Any(c => c.Id == "pmt.sd1a.hv.set" && c.Value is not null),
            TimeSpan.FromSeconds(30));

        var response = await http.PostAsJsonAsync(ControlRoutes.Hv, new HvCommandRequest("platform-sim", "sd1a", 1510, Guid.NewGuid().ToString("N")), ControlJsonContext.Default.HvCommandRequest);
        var command = await response.Content.ReadFromJsonAsync(ControlJsonContext.Default.ControlCommandView);

        Assert.Equal(ControlOutcome.Accepted, command!.Outcome);
    }

    [Fact]
    public async Task Diagnostics_AnAnonymousClient_IsCountedAsRefused()
    {
        using var http = await server.CreateClientAsync(MonitorRoles.Viewer);
        using var client = new MqttClientFactory().CreateMqttClient();

        var result = await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", server.MqttPort).WithTimeout(TimeSpan.FromSeconds(10)).Build());

        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, result.ResultCode);
        var diagnostics = await http.GetFromJsonAsync(BrokerRoutes.Diagnostics, ApiJsonContext.Default.BrokerSecurityDiagnostics);
        Assert.False(diagnostics!.AllowAnonymous);
        Assert.True(diagnostics.RefusedByReason["anonymous"] >= 1);
    }

    /// <summary>The demo Server with <c>Mqtt:AllowAnonymous=false</c>.</summary>
    public sealed class SecuredDemoServer : MonitorServerFactory
    {
        public SecuredDemoServer()
            : base(demo: true)
        {
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Mqtt:AllowAnonymous", "false");
        }
    }
}
