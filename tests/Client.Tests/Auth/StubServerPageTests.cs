using Bunit;
using Clovers.Monitor.Client.Auth;
using Clovers.Monitor.Client.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Clovers.Monitor.Client.Tests.Auth;

/// <summary>
/// Pages rendered interactively against a stub server (<see cref="Server"/>), through the real
/// CSRF handler, with nobody logged in until a test sets <see cref="Session"/>.
/// </summary>
public abstract class StubServerPageTests : BunitContext
{
    protected StubServerPageTests()
    {
        var http = new HttpClient(new CsrfHeaderHandler(Server)) { BaseAddress = new Uri("http://localhost/") };
        Session = TestSessions.As(http, role: null);
        Services.AddSingleton(http);
        Services.AddSingleton(Session);
        SetRendererInfo(new RendererInfo("WebAssembly", isInteractive: true));
    }

    protected FuncHandler Server { get; } = new();

    protected UserSession Session { get; }
}
