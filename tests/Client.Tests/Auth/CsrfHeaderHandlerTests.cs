using Clovers.Monitor.Client.Auth;
using Clovers.Monitor.Shared.Auth;

namespace Clovers.Monitor.Client.Tests.Auth;

public sealed class CsrfHeaderHandlerTests
{
    private readonly FuncHandler _server = new() { Respond = static _ => new HttpResponseMessage(System.Net.HttpStatusCode.NoContent) };

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public async Task Send_MutatingMethod_CarriesTheHeader(string method)
    {
        using var http = new HttpClient(new CsrfHeaderHandler(_server)) { BaseAddress = new Uri("http://localhost/") };

        using var _ = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), "api/x"));

        Assert.Equal(CsrfHeader.Value, Assert.Single(_server.Requests).Headers[CsrfHeader.Name]);
    }

    [Fact]
    public async Task Send_Get_CarriesNoHeader()
    {
        using var http = new HttpClient(new CsrfHeaderHandler(_server)) { BaseAddress = new Uri("http://localhost/") };

        using var _ = await http.GetAsync(new Uri("api/x", UriKind.Relative));

        Assert.False(Assert.Single(_server.Requests).Headers.ContainsKey(CsrfHeader.Name));
    }
}
