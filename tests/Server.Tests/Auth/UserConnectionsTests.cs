using System.Security.Claims;
using Clovers.Monitor.Server.Auth;

namespace Clovers.Monitor.Server.Tests.Auth;

public sealed class UserConnectionsTests
{
    private readonly UserConnections _connections = new();
    private readonly List<string> _aborted = [];

    [Fact]
    public void CloseAll_TwoUsersConnected_AbortsOnlyThatUsersConnections()
    {
        Add("c1", Session("ada"));
        Add("c2", Token("ada", "t1"));
        Add("c3", Session("bob"));

        var closed = _connections.CloseAll("ada");

        Assert.Equal(2, closed);
        Assert.Equal(["c1", "c2"], _aborted.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void CloseSessions_CookieAndTokenConnections_AbortsOnlyTheCookieOnes()
    {
        Add("cookie", Session("ada"));
        Add("token", Token("ada", "t1"));

        _connections.CloseSessions("ada");

        Assert.Equal(["cookie"], _aborted);
    }

    [Fact]
    public void CloseToken_TwoTokens_AbortsOnlyTheConnectionsOfThatToken()
    {
        Add("first", Token("ada", "t1"));
        Add("second", Token("ada", "t2"));

        _connections.CloseToken("ada", "t2");

        Assert.Equal(["second"], _aborted);
    }

    [Fact]
    public void Remove_EveryConnectionClosed_NothingKept()
    {
        Add("c1", Session("ada"));
        Add("c2", Session("bob"));

        _connections.Remove("c1", Session("ada"));
        _connections.Remove("c2", Session("bob"));

        Assert.Equal(0, _connections.Count);
        Assert.Equal(0, _connections.CloseAll("ada"));
    }

    [Fact]
    public void Add_Anonymous_NotKept()
    {
        Add("anon", new ClaimsPrincipal(new ClaimsIdentity()));

        Assert.Equal(0, _connections.Count);
    }

    private void Add(string connectionId, ClaimsPrincipal user) => _connections.Add(connectionId, user, () => _aborted.Add(connectionId));

    private static ClaimsPrincipal Session(string name) =>
        AuthSchemes.Principal("id-" + name, name, ["viewer"], AuthSchemes.Cookie, [new Claim(AuthSchemes.SecurityStampClaim, "stamp")]);

    private static ClaimsPrincipal Token(string name, string tokenId) =>
        AuthSchemes.Principal("id-" + name, name, ["viewer"], AuthSchemes.ApiToken, [new Claim(AuthSchemes.TokenIdClaim, tokenId)]);
}
