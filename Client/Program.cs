using Clovers.Monitor.Client.Auth;
using Clovers.Monitor.Client.Live;
using Microsoft.AspNetCore.Components.WebAssembly.Hosting;

var builder = WebAssemblyHostBuilder.CreateDefault(args);

// One HttpClient for the REST API of the server that served this app, and one live-data
// service (one hub connection) shared by every page, spectra included.
// Every POST/PUT/PATCH/DELETE carries the header the server requires of cookie sessions.
builder.Services.AddSingleton(_ => new HttpClient(new CsrfHeaderHandler(new HttpClientHandler())) { BaseAddress = new Uri(builder.HostEnvironment.BaseAddress) });
builder.Services.AddLiveData();
builder.Services.AddUserSession();

await builder.Build().RunAsync();
