using Clovers.Monitor.Client.Live;
using Clovers.Monitor.Client.Spectra;
using Microsoft.AspNetCore.Components.WebAssembly.Hosting;

var builder = WebAssemblyHostBuilder.CreateDefault(args);

// One HttpClient for the REST API of the server that served this app, and one live-data
// service (one hub connection) shared by every page.
builder.Services.AddSingleton(_ => new HttpClient { BaseAddress = new Uri(builder.HostEnvironment.BaseAddress) });
builder.Services.AddLiveData();
builder.Services.AddSpectraFeed();

await builder.Build().RunAsync();
