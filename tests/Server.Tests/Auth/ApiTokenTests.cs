using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Clovers.Monitor.Server.Auth;
using Clovers.Monitor.Server.Tests.Alarms.Api;
using Clovers.Monitor.Server.Tests.Integration;
using Clovers.Monitor.Shared.Auth;

namespace Clovers.Monitor.Server.Tests.Auth;

public sealed class ApiTokenTests(MonitorServerFactory factory) : IClassFixture<MonitorServerFactory>
{
    [Fact]
    public async Task BearerToken_CreatedThroughTheApi_ActsAsItsUser()
    {
        var account = await factory.CreateUserAsync(AuthPolicies.Shifter);
        using var session = await factory.LoginAsync(account.Name, account.Password);
        var created = await CreateTokenAsync(session, "script");
        using var script = Bearer(created.Token);

        var me = await script.GetFromJsonAsync(AuthRoutes.Me, AuthJsonContext.Default.CurrentUser);
        using var ack = await script.AcknowledgeAsync("no.such.rule", "from a script");

        Assert.Equal(account.Name, me!.Name);
        Assert.Equal(HttpStatusCode.NotFound, ack.StatusCode);
    }

    [Fact]
    public async Task BearerToken_Revoked_Is401()
    {
        var account = await factory.CreateUserAsync(AuthPolicies.Shifter);
        using var session = await factory.LoginAsync(account.Name, account.Password);
        var created = await CreateTokenAsync(session, "soon gone");
        using var script = Bearer(created.Token);

        (await session.DeleteAsync(AuthRoutes.Token(created.Info.Id))).EnsureSuccessStatusCode();
        using var ack = await script.AcknowledgeAsync("no.such.rule", "from a script");

        Assert.Equal(HttpStatusCode.Unauthorized, ack.StatusCode);
    }

    [Fact]
    public async Task BearerToken_Unknown_Is401ForWrites()
    {
        using var script = Bearer(ApiTokenStore.Prefix + "made-up");

        using var ack = await script.AcknowledgeAsync("no.such.rule", "from a script");

        Assert.Equal(HttpStatusCode.Unauthorized, ack.StatusCode);
    }

    [Fact]
    public async Task ListTokens_ShowsNamesNeverSecrets()
    {
        var account = await factory.CreateUserAsync(AuthPolicies.Viewer);
        using var session = await factory.LoginAsync(account.Name, account.Password);
        var created = await CreateTokenAsync(session, "listed");

        var text = await session.GetStringAsync(AuthRoutes.Tokens);

        Assert.Contains("listed", text, StringComparison.Ordinal);
        Assert.DoesNotContain(created.Token, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateToken_Anonymous_Is401()
    {
        using var http = factory.CreateClient();

        using var response = await http.PostAsJsonAsync(AuthRoutes.Tokens, new CreateTokenRequest("x"), AuthJsonContext.Default.CreateTokenRequest);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private HttpClient Bearer(string token)
    {
        var http = factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static async Task<ApiTokenCreated> CreateTokenAsync(HttpClient session, string name)
    {
        using var response = await session.PostAsJsonAsync(AuthRoutes.Tokens, new CreateTokenRequest(name), AuthJsonContext.Default.CreateTokenRequest);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync(AuthJsonContext.Default.ApiTokenCreated))!;
    }
}
