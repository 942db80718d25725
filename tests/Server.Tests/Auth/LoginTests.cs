using System.Net;
using System.Net.Http.Json;
using Clovers.Monitor.Server.Auth;
using Clovers.Monitor.Server.Tests.Alarms.Api;
using Clovers.Monitor.Server.Tests.Integration;
using Clovers.Monitor.Shared.Auth;

namespace Clovers.Monitor.Server.Tests.Auth;

public sealed class LoginTests(MonitorServerFactory factory) : IClassFixture<MonitorServerFactory>
{
    [Fact]
    public async Task Login_RightPassword_MeNamesTheUserAndRole()
    {
        var account = await factory.CreateUserAsync(AuthPolicies.Shifter);
        using var http = await factory.LoginAsync(account.Name, account.Password);

        var me = await http.GetFromJsonAsync(AuthRoutes.Me, AuthJsonContext.Default.CurrentUser);

        Assert.Equal(account.Name, me!.Name);
        Assert.Equal([MonitorRoles.Shifter], me.Roles);
    }

    [Fact]
    public async Task Login_WrongPassword_Is401()
    {
        var account = await factory.CreateUserAsync(AuthPolicies.Viewer);
        using var http = CsrfClient();

        using var response = await LoginAsync(http, account.Name, "not the password");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Login_AfterTooManyFailures_RightPasswordIsRefused()
    {
        var account = await factory.CreateUserAsync(AuthPolicies.Viewer);
        using var http = CsrfClient();
        for (var i = 0; i < new AuthOptions().MaxFailedLogins; i++)
        {
            using var failed = await LoginAsync(http, account.Name, "wrong " + i);
        }

        using var response = await LoginAsync(http, account.Name, account.Password);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("locked", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Login_WithoutCsrfHeader_Is403()
    {
        var account = await factory.CreateUserAsync(AuthPolicies.Viewer);
        using var http = factory.CreateClient();

        using var response = await LoginAsync(http, account.Name, account.Password);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task CookiePost_WithoutCsrfHeader_Is403()
    {
        var account = await factory.CreateUserAsync(AuthPolicies.Shifter);
        using var http = await factory.LoginAsync(account.Name, account.Password);
        http.DefaultRequestHeaders.Remove(CsrfHeader.Name);

        using var response = await http.AcknowledgeAsync("no.such.rule", "comment");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task CookiePost_WithCsrfHeader_PassesAuthorization()
    {
        var account = await factory.CreateUserAsync(AuthPolicies.Shifter);
        using var http = await factory.LoginAsync(account.Name, account.Password);

        using var response = await http.AcknowledgeAsync("no.such.rule", "comment");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task CookiePost_FromAnotherOrigin_Is403()
    {
        var account = await factory.CreateUserAsync(AuthPolicies.Shifter);
        using var http = await factory.LoginAsync(account.Name, account.Password);
        http.DefaultRequestHeaders.Add("Origin", "https://evil.example");

        using var response = await http.AcknowledgeAsync("no.such.rule", "comment");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Logout_EndsTheSession()
    {
        var account = await factory.CreateUserAsync(AuthPolicies.Shifter);
        using var http = await factory.LoginAsync(account.Name, account.Password);

        (await http.PostAsync(AuthRoutes.Logout, null)).EnsureSuccessStatusCode();
        var me = await http.GetFromJsonAsync(AuthRoutes.Me, AuthJsonContext.Default.CurrentUser);

        Assert.Null(me!.Name);
    }

    [Fact]
    public async Task Session_AccountDisabledByAdmin_EndsAtOnce()
    {
        var account = await factory.CreateUserAsync(AuthPolicies.Shifter);
        using var session = await factory.LoginAsync(account.Name, account.Password);
        using var admin = await factory.CreateClientAsync(AuthPolicies.Admin);

        (await admin.PatchAsJsonAsync(AuthRoutes.User(account.Name), new UpdateUserRequest(null, true), AuthJsonContext.Default.UpdateUserRequest)).EnsureSuccessStatusCode();
        using var response = await session.AcknowledgeAsync("no.such.rule", "comment");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private HttpClient CsrfClient()
    {
        var http = factory.CreateClient();
        http.DefaultRequestHeaders.Add(CsrfHeader.Name, CsrfHeader.Value);
        return http;
    }

    private static Task<HttpResponseMessage> LoginAsync(HttpClient http, string name, string password) =>
        http.PostAsJsonAsync(AuthRoutes.Login, new LoginRequest(name, password), AuthJsonContext.Default.LoginRequest);
}
