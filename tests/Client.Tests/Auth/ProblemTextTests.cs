using System.Net;
using System.Text;
using Clovers.Monitor.Client.Auth;

namespace Clovers.Monitor.Client.Tests.Auth;

public sealed class ProblemTextTests
{
    private const string ValidationProblem =
        """{"title":"One or more validation errors occurred.","errors":{"comment":["A comment is required."]}}""";

    [Fact]
    public async Task ReadAsync_ValidationProblem_JoinsTheFieldErrors()
    {
        using var response = Refusal(ValidationProblem);

        Assert.Equal("A comment is required.", await ProblemText.ReadAsync(response, CancellationToken.None));
    }

    [Fact]
    public async Task ReadDetailAsync_ValidationProblem_ReturnsTheTitle()
    {
        using var response = Refusal(ValidationProblem);

        Assert.Equal("One or more validation errors occurred.", await ProblemText.ReadDetailAsync(response, CancellationToken.None));
    }

    [Fact]
    public async Task ReadDetailAsync_NotJson_ReturnsTheStatusLine()
    {
        using var response = Refusal("<html>bad gateway</html>");

        Assert.Equal("400 Bad Request", await ProblemText.ReadDetailAsync(response, CancellationToken.None));
    }

    private static HttpResponseMessage Refusal(string body) =>
        new(HttpStatusCode.BadRequest)
        {
            ReasonPhrase = "Bad Request",
            Content = new StringContent(body, Encoding.UTF8, "application/problem+json"),
        };
}
