using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using Clovers.Monitor.Server.Auth;
using Clovers.Monitor.Server.Hosting;
using Clovers.Monitor.Shared.Auth;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Clovers.Monitor.Server.Tests.Integration;

/// <summary>
/// The whole Server in-process: its embedded MQTT broker on a free loopback port, SQLite in a
/// temporary folder, and the demo platform on or off. Disposed with everything it started.
/// <para>
/// <c>CreateClient()</c> is anonymous. <see cref="CreateClientAsync(string)"/> gives a client
/// authenticated as a user of the role (through a real API token), <see cref="LoginAsync"/> one
/// with a real session cookie, <see cref="CreateHubConnectionAsync"/> a hub connection.
/// </para>
/// </summary>
public class MonitorServerFactory : WebApplicationFactory<ServerIdentity>
{
    private readonly bool _demo;
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _roleTokens = new(StringComparer.Ordinal);

    public MonitorServerFactory()
        : this(demo: false)
    {
    }

    protected MonitorServerFactory(bool demo)
    {
        _demo = demo;
        MqttPort = FreeTcpPort();
        DataDirectory = Directory.CreateTempSubdirectory("clovers-server-tests-").FullName;
    }

    public int MqttPort { get; }

    public string DataDirectory { get; }

    public static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Name of the account <see cref="CreateClientAsync(string)"/> uses for a role.</summary>
    public static string TestUserName(string role) => "test-" + role;

    /// <summary>A client authenticated as the test user of <paramref name="role"/> (one account and token per role and server).</summary>
    public async Task<HttpClient> CreateClientAsync(string role)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenForAsync(role));
        return client;
    }

    /// <summary>
    /// <see cref="CreateClientAsync(string)"/> for a constructor. The work runs on the thread pool,
    /// away from xunit's synchronization context, so blocking here cannot deadlock.
    /// </summary>
    public HttpClient CreateClientAs(string role) => Task.Run(() => CreateClientAsync(role)).GetAwaiter().GetResult();

    /// <summary>The API token of the test user of <paramref name="role"/>.</summary>
    public Task<string> TokenForAsync(string role) =>
        _roleTokens.GetOrAdd(role, r => new Lazy<Task<string>>(() => CreateRoleTokenAsync(r))).Value;

    /// <summary>A new account of <paramref name="role"/> with a generated password.</summary>
    public async Task<TestAccount> CreateUserAsync(string role, string? name = null)
    {
        name ??= role + "-" + Guid.NewGuid().ToString("N")[..8];
        await using var scope = Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<UserAccounts>().CreateAsync(name, role, password: null);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors));
        return new TestAccount(result.User!.Id, name, result.GeneratedPassword!);
    }

    /// <summary>A client logged in through <c>POST /api/auth/login</c>, carrying the session cookie and the CSRF header as the browser does.</summary>
    public async Task<HttpClient> LoginAsync(string name, string password)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add(CsrfHeader.Name, CsrfHeader.Value);
        using var response = await client.PostAsJsonAsync(AuthRoutes.Login, new LoginRequest(name, password), AuthJsonContext.Default.LoginRequest);
        Assert.True(response.IsSuccessStatusCode, $"login of {name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return client;
    }

    /// <summary>A hub connection (long polling through the test server), as the test user of <paramref name="role"/>, or anonymous for null.</summary>
    public async Task<HubConnection> CreateHubConnectionAsync(string? role)
    {
        var token = role is null ? null : await TokenForAsync(role);
        return new HubConnectionBuilder()
            .WithUrl(new Uri(Server.BaseAddress, Clovers.Monitor.Shared.Live.MonitorHubContract.Path), o =>
            {
                o.HttpMessageHandlerFactory = _ => Server.CreateHandler();
                o.Transports = HttpTransportType.LongPolling;
                if (token is not null)
                {
                    o.Headers["Authorization"] = "Bearer " + token;
                }
            })
            .AddJsonProtocol(o => o.PayloadSerializerOptions.TypeInfoResolverChain.Insert(0, Clovers.Monitor.Shared.Api.ApiJsonContext.Default))
            .Build();
    }

    private async Task<string> CreateRoleTokenAsync(string role)
    {
        var account = await CreateUserAsync(role, TestUserName(role));
        var created = await Services.GetRequiredService<ApiTokenStore>().CreateAsync(account.Id, "tests", CancellationToken.None);
        return created.Token;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Mqtt:Mode", "Embedded");
        builder.UseSetting("Mqtt:Host", "127.0.0.1");
        builder.UseSetting("Mqtt:Port", MqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Storage:DataDirectory", DataDirectory);
        builder.UseSetting("Demo:Enabled", _demo ? "true" : "false");
        builder.UseSetting("Live:PushIntervalMilliseconds", "100");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            // SQLite may hold the files a moment after the host stops; a leftover temp dir is harmless.
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}

/// <summary>An account made for a test: its id, name and (generated) password.</summary>
public sealed record TestAccount(string Id, string Name, string Password);

/// <summary>The same with the simulated platform running, as on the embedded default.</summary>
public sealed class DemoServerFactory : MonitorServerFactory
{
    public DemoServerFactory()
        : base(demo: true)
    {
    }
}
