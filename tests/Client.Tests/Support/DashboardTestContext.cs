using Bunit;
using Clovers.Monitor.Client.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Clovers.Monitor.Client.Tests.Support;

/// <summary>A bUnit context with the dashboard's services: fake live data, a fake clock, and a stub server for REST.</summary>
public abstract class DashboardTestContext : BunitContext
{
    protected DashboardTestContext()
    {
        Services.AddSingleton<ILiveData>(LiveData);
        Services.AddSingleton<TimeProvider>(Time);
        var http = new HttpClient(Http) { BaseAddress = new Uri("http://localhost/") };
        Services.AddSingleton(http);
        Services.AddSingleton(TestSessions.As(http, role: null));
        JSInterop.Mode = JSRuntimeMode.Loose;
        SetRendererInfo(new RendererInfo("WebAssembly", isInteractive: true));
    }

    protected FakeLiveData LiveData { get; } = new();

    protected FakeTimeProvider Time { get; } = new(TestChannels.Now);

    protected StubHttpHandler Http { get; } = new();
}
