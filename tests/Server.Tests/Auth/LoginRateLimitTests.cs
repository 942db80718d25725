using System.Net;
using System.Net.Http.Json;
using Clovers.Monitor.Server.Tests.Integration;
using Clovers.Monitor.Shared.Auth;
using Microsoft.AspNetCore.Hosting;

namespace Clovers.Monitor.Server.Tests.Auth;

/// <summary>The server allowing three login attempts a minute from one address.</summary>
public sealed class ThreeLoginsServerFactory : MonitorServerFactory
{
    public const int PerMinute = 3;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Auth:LoginAttemptsPerMinute", PerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

public sealed class LoginRateLimitTests(ThreeLoginsServerFactory factory) : IClassFixture<ThreeLoginsServerFactory>
{
    [Fact]
    public async Task Login_MoreAttemptsThanAllowedPerMinute_Is429()
    {
        using var http = factory.CreateClient();
        http.DefaultRequestHeaders.Add(CsrfHeader.Name, CsrfHeader.Value);
        for (var i = 0; i < ThreeLoginsServerFactory.PerMinute; i++)
        {
            using var refused = await LoginAsync(http);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using var limited = await LoginAsync(http);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
    }

    private static Task<HttpResponseMessage> LoginAsync(HttpClient http) =>
        http.PostAsJsonAsync(AuthRoutes.Login, new LoginRequest("guesser", "guess"), AuthJsonContext.Default.LoginRequest);
}
