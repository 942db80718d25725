using Clovers.Monitor.Server.Auth;

namespace Clovers.Monitor.Server.Control;

/// <summary>Who may use the control API: anyone who may read sees the policy and the history; only experts command.</summary>
internal static class ControlAuthorization
{
    public static TBuilder Reading<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.RequireAuthorization(AuthPolicies.Viewer);

    public static TBuilder Commanding<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.RequireAuthorization(AuthPolicies.Expert);
}
