using Clovers.Monitor.Server.Auth;
using Clovers.Monitor.Server.Tests.Integration;
using Clovers.Monitor.Shared.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Clovers.Monitor.Server.Tests.Auth;

/// <summary>
/// Every endpoint that can change something must name an authorization policy, or be one of the
/// few listed here as deliberately open. A new POST without a policy fails this test.
/// </summary>
public sealed class EndpointTableTests(MonitorServerFactory factory) : IClassFixture<MonitorServerFactory>
{
    /// <summary>Open on purpose, each with its reason.</summary>
    private static readonly Dictionary<string, string> Exemptions = new(StringComparer.Ordinal)
    {
        ["POST " + AuthRoutes.Login] = "how one stops being anonymous; rate limited and locked per account",
        ["POST " + AuthRoutes.Logout] = "ending a session must always work",
        ["POST /api/simulation/faults/{name}"] = "acts on the simulated platform only (403 when the demo is off); a demo is for anyone",
        ["DELETE /api/simulation/faults/{name}"] = "clears what the line above injects",
    };

    private static readonly HashSet<string> Policies = new(StringComparer.Ordinal)
    {
        AuthPolicies.Viewer, AuthPolicies.Account, AuthPolicies.Shifter, AuthPolicies.Expert, AuthPolicies.Admin,
    };

    [Fact]
    public void MutatingEndpoints_EachHasAPolicyOrAListedExemption()
    {
        var unguarded = new List<string>();
        foreach (var (endpoint, method) in MutatingEndpoints())
        {
            var key = method + " " + endpoint.RoutePattern.RawText;
            if (IsApplicationShell(endpoint))
            {
                continue;
            }

            if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            {
                if (!Exemptions.ContainsKey(key))
                {
                    unguarded.Add(key + " (AllowAnonymous, not listed as an exemption)");
                }
            }
            else if (!endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy is { } policy && Policies.Contains(policy)))
            {
                unguarded.Add(key + " (no authorization policy)");
            }
        }

        Assert.True(unguarded.Count == 0, "Mutating endpoints without a policy:\n" + string.Join('\n', unguarded));
    }

    [Fact]
    public void Exemptions_EachStillExists()
    {
        var existing = MutatingEndpoints().Select(e => e.Method + " " + e.Endpoint.RoutePattern.RawText).ToHashSet(StringComparer.Ordinal);

        Assert.All(Exemptions.Keys, key => Assert.Contains(key, existing));
    }

    [Fact]
    public void MutatingEndpoints_IncludeTheAlarmOperations()
    {
        var keys = MutatingEndpoints().Select(e => e.Method + " " + e.Endpoint.RoutePattern.RawText).ToList();

        Assert.Contains("POST /api/alarms/{ruleId}/ack", keys);
        Assert.Contains("PUT /api/alarms/rules", keys);
    }

    /// <summary>
    /// The Blazor pages (which accept POST only for static-SSR forms, which this WebAssembly-only
    /// app has none of) and the framework's resource list: no data, no action. Under the fallback
    /// policy a POST to them would need an admin anyway.
    /// </summary>
    private static bool IsApplicationShell(RouteEndpoint endpoint) =>
        endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Components.Endpoints.ComponentTypeMetadata>() is not null
        || endpoint.RoutePattern.RawText?.StartsWith("_framework/resource-collection", StringComparison.Ordinal) == true;

    private IEnumerable<(RouteEndpoint Endpoint, string Method)> MutatingEndpoints()
    {
        var source = factory.Services.GetRequiredService<EndpointDataSource>();
        foreach (var endpoint in source.Endpoints.OfType<RouteEndpoint>())
        {
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods;
            // No method metadata means every method, the mutating ones included.
            IEnumerable<string> all = methods is { Count: > 0 } ? methods : ["POST", "PUT", "PATCH", "DELETE"];
            foreach (var method in all.Where(m => !(HttpMethods.IsGet(m) || HttpMethods.IsHead(m) || HttpMethods.IsOptions(m))))
            {
                yield return (endpoint, method);
            }
        }
    }
}
