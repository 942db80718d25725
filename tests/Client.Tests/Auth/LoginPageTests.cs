using System.Net;
using Bunit;
using Clovers.Monitor.Client.Auth;
using Clovers.Monitor.Client.Pages;
using Clovers.Monitor.Client.Tests.Support;
using Clovers.Monitor.Shared.Auth;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Clovers.Monitor.Client.Tests.Auth;

public sealed class LoginPageTests : StubServerPageTests
{
    private IRenderedComponent<Login> Submit(string name, string password, string? returnUrl = null)
    {
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo(returnUrl is null ? "login" : "login?returnUrl=" + Uri.EscapeDataString(returnUrl));
        var page = Render<Login>();
        page.Find("[data-testid='login-name']").Input(name);
        page.Find("[data-testid='login-password']").Input(password);
        page.Find("[data-testid='login-form']").Submit();
        return page;
    }

    [Fact]
    public void Submit_PostsNameAndPasswordWithTheCsrfHeader()
    {
        Server.Respond = _ => FuncHandler.Json(HttpStatusCode.OK, """{"name":"ada","roles":["shifter"],"anonymousRead":true}""");

        Submit("ada", "correct horse");

        var request = Assert.Single(Server.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal(AuthRoutes.Login, request.Path);
        Assert.Contains("\"userName\":\"ada\"", request.Body, StringComparison.Ordinal);
        Assert.Equal(CsrfHeader.Value, request.Headers[CsrfHeader.Name]);
    }

    [Fact]
    public void Submit_Accepted_SessionKnowsTheUserAndPageGoesBack()
    {
        Server.Respond = _ => FuncHandler.Json(HttpStatusCode.OK, """{"name":"ada","roles":["shifter"],"anonymousRead":true}""");

        Submit("ada", "correct horse", returnUrl: "/alarms");

        Assert.Equal("ada", Session.Current.Name);
        Assert.True(Session.Has(MonitorRoles.Shifter));
        Assert.EndsWith("/alarms", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
    }

    [Fact]
    public void Submit_Refused_ShowsTheServersReason()
    {
        Server.Respond = _ => FuncHandler.Json(HttpStatusCode.Unauthorized, """{"title":"Login failed","status":401,"detail":"Wrong user name or password."}""", "application/problem+json");

        var page = Submit("ada", "wrong");

        page.WaitForAssertion(() => Assert.Equal("Wrong user name or password.", page.Find("[data-testid='login-error']").TextContent));
        Assert.False(Session.IsLoggedIn);
    }

    [Theory]
    [InlineData("/alarms", "alarms")]
    [InlineData("//evil.example/x", "")]
    [InlineData("https://evil.example/", "")]
    [InlineData("/\\evil.example", "")]
    [InlineData(null, "")]
    public void SafeReturnPath_OnlyPathsOfThisSite(string? returnUrl, string expected)
    {
        Assert.Equal(expected, Login.SafeReturnPath(returnUrl));
    }
}
