using System.Net;
using Bunit;
using Clovers.Monitor.Client.Auth;
using Clovers.Monitor.Client.Pages;
using Clovers.Monitor.Client.Tests.Support;
using Clovers.Monitor.Shared.Auth;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Clovers.Monitor.Client.Tests.Auth;

/// <summary>The Users (admin), Audit (expert) and API tokens pages against a stub server.</summary>
public sealed class AdminPagesTests : StubServerPageTests
{
    public AdminPagesTests()
    {
        Server.Respond = request => request.RequestUri!.AbsolutePath switch
        {
            AuthRoutes.Users when request.Method == HttpMethod.Get =>
                FuncHandler.Json(HttpStatusCode.OK, """[{"name":"ada","role":"shifter","disabled":false,"lockedOut":false,"createdAt":"2026-01-01T00:00:00Z"}]"""),
            AuthRoutes.Users =>
                FuncHandler.Json(HttpStatusCode.OK, """{"user":{"name":"bob","role":"viewer","disabled":false,"lockedOut":false,"createdAt":"2026-01-01T00:00:00Z"},"generatedPassword":"pw-shown-once"}"""),
            AuthRoutes.Audit =>
                FuncHandler.Json(HttpStatusCode.OK, """{"entries":[{"id":7,"at":"2026-01-01T00:00:00Z","user":"ada","action":"alarm.ack","target":"pmt.sd1a.hv.read.tripped","result":"ok","detail":"seen"}],"offset":0,"limit":100,"total":1}"""),
            _ => new HttpResponseMessage(HttpStatusCode.NotFound),
        };
    }

    [Fact]
    public async Task Users_Expert_SeesNoAccounts()
    {
        await Session.SetAsync(TestSessions.User(MonitorRoles.Expert));

        var page = Render<Users>();

        Assert.NotNull(page.Find("[data-testid='users-forbidden']"));
        Assert.DoesNotContain(Server.Requests, r => r.Path == AuthRoutes.Users);
    }

    [Fact]
    public async Task Users_Admin_ListsAccountsWithTheirRole()
    {
        await Session.SetAsync(TestSessions.User(MonitorRoles.Admin));

        var page = Render<Users>();

        page.WaitForAssertion(() => Assert.Equal("shifter", page.Find("[data-testid='user-role-ada']").GetAttribute("value")));
    }

    [Fact]
    public async Task Users_AdminCreatesAnAccount_PostsItAndShowsThePasswordOnce()
    {
        await Session.SetAsync(TestSessions.User(MonitorRoles.Admin));
        var page = Render<Users>();

        page.Find("[data-testid='user-new-name']").Input("bob");
        page.Find("[data-testid='user-form']").Submit();

        page.WaitForAssertion(() => Assert.Contains("pw-shown-once", page.Find("[data-testid='users-message']").TextContent, StringComparison.Ordinal));
        var post = Assert.Single(Server.Requests, r => r.Method == HttpMethod.Post);
        Assert.Contains("\"name\":\"bob\"", post.Body, StringComparison.Ordinal);
        Assert.Equal(CsrfHeader.Value, post.Headers[CsrfHeader.Name]);
    }

    [Fact]
    public async Task Audit_Expert_ShowsEntries()
    {
        await Session.SetAsync(TestSessions.User(MonitorRoles.Expert));

        var page = Render<Audit>();

        page.WaitForAssertion(() => Assert.Equal("alarm.ack", Assert.Single(page.FindAll("[data-testid='audit-row']")).GetAttribute("data-action")));
    }

    [Fact]
    public async Task Audit_Shifter_IsNotShown()
    {
        await Session.SetAsync(TestSessions.User(MonitorRoles.Shifter));

        var page = Render<Audit>();

        Assert.NotNull(page.Find("[data-testid='audit-forbidden']"));
        Assert.DoesNotContain(Server.Requests, r => r.Path == AuthRoutes.Audit);
    }
}
