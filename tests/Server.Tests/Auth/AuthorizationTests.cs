using System.Net;
using System.Net.Http.Json;
using Clovers.Monitor.Server.Auth;
using Clovers.Monitor.Server.Tests.Alarms.Api;
using Clovers.Monitor.Server.Tests.Integration;
using Clovers.Monitor.Shared.Alarms;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Auth;

namespace Clovers.Monitor.Server.Tests.Auth;

public sealed class AuthorizationTests(MonitorServerFactory factory) : IClassFixture<MonitorServerFactory>
{
    public static TheoryData<string> OperatorRoutes() =>
    [
        AlarmRoutes.Acknowledge("any.rule"),
        AlarmRoutes.Shelve("any.rule"),
        AlarmRoutes.Unshelve("any.rule"),
    ];

    [Theory]
    [MemberData(nameof(OperatorRoutes))]
    public async Task AlarmOperation_Anonymous_Is401ProblemJson(string route)
    {
        using var http = factory.CreateClient();

        using var response = await http.PostAsJsonAsync(route, new AlarmShelveRequest("comment", 1), ApiJsonContext.Default.AlarmShelveRequest);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task PutRules_Anonymous_Is401()
    {
        using var http = factory.CreateClient();

        using var response = await http.PutRulesAsync(AlarmApiClient.Silence("anon.rule"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task PutRules_Shifter_Is403()
    {
        using var http = await factory.CreateClientAsync(AuthPolicies.Shifter);

        using var response = await http.PutRulesAsync(AlarmApiClient.Silence("shifter.rule"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Acknowledge_Viewer_Is403()
    {
        using var http = await factory.CreateClientAsync(AuthPolicies.Viewer);

        using var response = await http.AcknowledgeAsync("any.rule", "comment");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Acknowledge_Shifter_PassesAuthorization()
    {
        using var http = await factory.CreateClientAsync(AuthPolicies.Shifter);

        using var response = await http.AcknowledgeAsync("no.such.rule", "comment");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task GetAudit_Anonymous_Is401()
    {
        using var http = factory.CreateClient();

        using var response = await http.GetAsync(AuthRoutes.Audit);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task GetAudit_Shifter_Is403()
    {
        using var http = await factory.CreateClientAsync(AuthPolicies.Shifter);

        using var response = await http.GetAsync(AuthRoutes.Audit);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task GetAudit_Expert_Is200()
    {
        using var http = await factory.CreateClientAsync(AuthPolicies.Expert);

        var page = await http.GetFromJsonAsync(AuthRoutes.Audit, AuthJsonContext.Default.AuditPage);

        Assert.NotNull(page);
    }

    [Fact]
    public async Task GetChannels_AnonymousReadOn_Is200()
    {
        using var http = factory.CreateClient();

        using var response = await http.GetAsync(ApiRoutes.Channels);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Users_Expert_Is403()
    {
        using var http = await factory.CreateClientAsync(AuthPolicies.Expert);

        using var response = await http.GetAsync(AuthRoutes.Users);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task AnyAnswer_CarriesSecurityHeaders()
    {
        using var http = factory.CreateClient();

        using var response = await http.GetAsync(ApiRoutes.Info);

        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppPage_PolicyAllowsItsImportMapByHashOnly()
    {
        using var http = factory.CreateClient();

        using var response = await http.GetAsync(new Uri("/", UriKind.Relative));
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();

        Assert.Contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline' 'sha", policy, StringComparison.Ordinal);
    }
}
