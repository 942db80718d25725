using Clovers.Monitor.Server.Alarms;
using Clovers.Monitor.Server.Api;
using Clovers.Monitor.Server.Auth;
using Clovers.Monitor.Server.Components;
using Clovers.Monitor.Server.Control;
using Clovers.Monitor.Server.Demo;
using Clovers.Monitor.Server.Exposure;
using Clovers.Monitor.Server.Handover;
using Clovers.Monitor.Server.Diagnostics;
using Clovers.Monitor.Server.Hosting;
using Clovers.Monitor.Server.Ingest;
using Clovers.Monitor.Server.Live;
using Clovers.Monitor.Server.Logbook;
using Clovers.Monitor.Server.Mqtt;
using Clovers.Monitor.Server.Mqtt.Security;
using Clovers.Monitor.Server.Notifications;
using Clovers.Monitor.Server.Spectra;
using Clovers.Monitor.Server.State;
using Clovers.Monitor.Server.Storage;

if (MqttPasswordTool.IsInvocation(args))
{
    return MqttPasswordTool.Run(Console.In, Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<ServerIdentity>();
builder.AddMqtt();       // embedded broker or connection settings for an external one
builder.AddStorage();    // time-series store and its batched writer (first pipeline stage)
builder.AddState();      // relational state database, migrated before ingest starts
builder.AddAuth();       // accounts, roles, session cookie and API tokens, audit log
builder.AddStorageRetention(); // periodic deletion of time-series rows past their retention
builder.AddIngest();     // MQTT subscription, validation, bounded pipeline
builder.AddLive();       // live state, typed hub, coalesced pushes
builder.AddSpectra();    // DAQ histograms and status: spectra store, SPE gains, shape checks, pushes
builder.AddAlarms();     // alarm rules, ISA-18.2 states, evaluation stage and 1 s timer
builder.AddNotifications(); // alarm e-mail and webhooks through a durable outbox
builder.AddLogbook();    // electronic logbook with alarm comments and attached channel history
builder.AddHandover();   // shift handover report and its optional e-mail at shift end
builder.AddDemo();       // simulated CLOVERS platform publishing through the broker
builder.AddExposure();   // protons on target, kg·days and CEvNS sensitivity from the stored beam power
builder.AddControl();    // HV control: policy, MQTT request/response to agents, command history
builder.AddApi();        // REST, problem+json, OpenAPI
builder.AddDiagnostics(); // ingest rates, connections, memory: /api/diagnostics and Prometheus /metrics
builder.Services.AddRazorComponents().AddInteractiveWebAssemblyComponents();

var app = builder.Build();

// Every options section is checked before anything starts, so one bad value cannot hide the
// others behind the first service that happens to read its options.
if (ConfigurationErrors.Collect(app.Services) is { Count: > 0 } configurationProblems)
{
    return await ConfigurationErrors.ReportAsync(configurationProblems);
}

if (AdminCommands.IsCommand(args))
{
    return await AdminCommands.RunAsync(args, app.Services, Console.In, Console.Out, Console.Error);
}

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuth();
app.UseAntiforgery();
app.MapStaticAssets();
app.MapApi();
app.MapSpectraApi();
app.MapAuth();
app.MapExposureApi();
app.MapControlApi();
app.MapBrokerDiagnostics();
app.MapLogbook();
app.MapHandoverApi();
app.MapDiagnostics();
app.MapLiveHub();
app.MapRazorComponents<App>()
    .AddInteractiveWebAssemblyRenderMode()
    .AddAdditionalAssemblies(typeof(Clovers.Monitor.Client.Routes).Assembly);
app.Lifetime.ApplicationStarted.Register(() => StartupBanner.Print(app));

try
{
    await app.RunAsync();
    return 0;
}
catch (Exception exception) when (ConfigurationErrors.TryCollect(exception) is { } problems)
{
    return await ConfigurationErrors.ReportAsync(problems);
}

/// <summary>Marker for tests: the Server's entry assembly (the Client has a Program too).</summary>
public partial class Program;
