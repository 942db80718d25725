using System.Net;
using Clovers.Monitor.Server.Auth;
using Clovers.Monitor.Server.Tests.Integration;
using Clovers.Monitor.Shared.Api;
using Microsoft.AspNetCore.Hosting;

namespace Clovers.Monitor.Server.Tests.Auth;

/// <summary>The server with <c>Auth:AnonymousRead=false</c>, as the production compose profile runs it.</summary>
public sealed class ClosedServerFactory : MonitorServerFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Auth:AnonymousRead", "false");
    }
}

public sealed class AnonymousReadOffTests(ClosedServerFactory factory) : IClassFixture<ClosedServerFactory>
{
    [Fact]
    public async Task GetChannels_Anonymous_Is401()
    {
        using var http = factory.CreateClient();

        using var response = await http.GetAsync(ApiRoutes.Channels);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task GetChannels_Viewer_Is200()
    {
        using var http = await factory.CreateClientAsync(AuthPolicies.Viewer);

        using var response = await http.GetAsync(ApiRoutes.Channels);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Health_Anonymous_StillAnswers()
    {
        using var http = factory.CreateClient();

        using var response = await http.GetAsync(ApiRoutes.Health);

        Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task HubConnection_Anonymous_IsRefused()
    {
        await using var connection = await factory.CreateHubConnectionAsync(role: null);

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }
}
