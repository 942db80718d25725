using System.Net;
using System.Net.Http.Json;
using Clovers.Monitor.Server.Auth;
using Clovers.Monitor.Server.Tests.Integration;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Auth;
using Clovers.Monitor.Shared.Live;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Clovers.Monitor.Server.Tests.Auth;

/// <summary>
/// Hub connections over WebSockets, as the browser opens them: authenticated once, when they
/// open, so an account change must close them. The server refuses anonymous reading, so a
/// refused reconnect shows.
/// </summary>
public sealed class HubAccountChangeTests(ClosedServerFactory factory) : IClassFixture<ClosedServerFactory>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task DisableUser_ViewerConnectedWithSessionCookie_ConnectionClosed()
    {
        var viewer = await factory.CreateUserAsync(AuthPolicies.Viewer);
        await using var connection = Connect(cookie: await SessionCookieAsync(viewer));
        var closed = ClosedSignal(connection);
        await connection.StartAsync();

        await DisableAsync(viewer);

        await closed.WaitAsync(Patience);
        Assert.Equal(HubConnectionState.Disconnected, connection.State);
    }

    [Fact]
    public async Task DisableUser_ViewerConnectedWithApiToken_ConnectionClosed()
    {
        var viewer = await factory.CreateUserAsync(AuthPolicies.Viewer);
        var token = await factory.Services.GetRequiredService<ApiTokenStore>().CreateAsync(viewer.Id, "hub", CancellationToken.None);
        await using var connection = Connect(bearer: token.Token);
        var closed = ClosedSignal(connection);
        await connection.StartAsync();

        await DisableAsync(viewer);

        await closed.WaitAsync(Patience);
        Assert.Equal(HubConnectionState.Disconnected, connection.State);
    }

    [Fact]
    public async Task DisableUser_ViewerReconnectsWithTheSameCookie_Refused401()
    {
        var viewer = await factory.CreateUserAsync(AuthPolicies.Viewer);
        var cookie = await SessionCookieAsync(viewer);
        await using var connection = Connect(cookie);
        var closed = ClosedSignal(connection);
        await connection.StartAsync();
        await DisableAsync(viewer);
        await closed.WaitAsync(Patience);

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task DisableUser_AnotherViewersConnection_StaysOpenAndServed()
    {
        var disabled = await factory.CreateUserAsync(AuthPolicies.Viewer);
        var other = await factory.CreateUserAsync(AuthPolicies.Viewer);
        await using var disabledConnection = Connect(await SessionCookieAsync(disabled));
        await using var otherConnection = Connect(await SessionCookieAsync(other));
        var disabledClosed = ClosedSignal(disabledConnection);
        var otherClosed = ClosedSignal(otherConnection);
        await disabledConnection.StartAsync();
        await otherConnection.StartAsync();

        await DisableAsync(disabled);
        await disabledClosed.WaitAsync(Patience);
        var snapshot = await otherConnection.InvokeAsync<LiveSnapshot>(MonitorHubContract.Subscribe, (string[]?)null);

        Assert.NotNull(snapshot);
        Assert.False(otherClosed.IsCompleted);
        Assert.Equal(HubConnectionState.Connected, otherConnection.State);
    }

    [Fact]
    public async Task SetPassword_ByAdmin_SessionConnectionClosed()
    {
        var viewer = await factory.CreateUserAsync(AuthPolicies.Viewer);
        await using var connection = Connect(await SessionCookieAsync(viewer));
        var closed = ClosedSignal(connection);
        await connection.StartAsync();
        using var admin = await factory.CreateClientAsync(AuthPolicies.Admin);

        (await admin.PostAsJsonAsync(AuthRoutes.UserPassword(viewer.Name), new SetPasswordRequest(null), AuthJsonContext.Default.SetPasswordRequest)).EnsureSuccessStatusCode();

        await closed.WaitAsync(Patience);
        Assert.Equal(HubConnectionState.Disconnected, connection.State);
    }

    private async Task DisableAsync(TestAccount account)
    {
        using var admin = await factory.CreateClientAsync(AuthPolicies.Admin);
        (await admin.PatchAsJsonAsync(AuthRoutes.User(account.Name), new UpdateUserRequest(null, true), AuthJsonContext.Default.UpdateUserRequest)).EnsureSuccessStatusCode();
    }

    /// <summary>Logs in as the browser does and answers the session cookie (name=value) it was given.</summary>
    private async Task<string> SessionCookieAsync(TestAccount account)
    {
        using var http = factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false, AllowAutoRedirect = false });
        http.DefaultRequestHeaders.Add(CsrfHeader.Name, CsrfHeader.Value);
        using var response = await http.PostAsJsonAsync(AuthRoutes.Login, new LoginRequest(account.Name, account.Password), AuthJsonContext.Default.LoginRequest);
        response.EnsureSuccessStatusCode();
        var setCookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(AuthSchemes.CookieName + "=", StringComparison.Ordinal));
        return setCookie.Split(';')[0];
    }

    /// <summary>Negotiates over HTTP, then opens a real WebSocket through the test server, each request carrying the credentials.</summary>
    private HubConnection Connect(string? cookie = null, string? bearer = null) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(factory.Server.BaseAddress, MonitorHubContract.Path), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.HttpMessageHandlerFactory = _ => factory.Server.CreateHandler();
                if (cookie is not null)
                {
                    o.Headers["Cookie"] = cookie;
                    o.Headers[CsrfHeader.Name] = CsrfHeader.Value;
                }

                if (bearer is not null)
                {
                    o.Headers["Authorization"] = "Bearer " + bearer;
                }

                o.WebSocketFactory = async (context, cancellationToken) =>
                {
                    var client = factory.Server.CreateWebSocketClient();
                    client.ConfigureRequest = request =>
                    {
                        foreach (var header in o.Headers)
                        {
                            request.Headers[header.Key] = header.Value;
                        }
                    };
                    return await client.ConnectAsync(context.Uri, cancellationToken);
                };
            })
            .AddJsonProtocol(o => o.PayloadSerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default))
            .Build();

    private static Task ClosedSignal(HubConnection connection)
    {
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        return closed.Task;
    }
}
