using System.Security.Claims;
using System.Threading.RateLimiting;
using Clovers.Monitor.Server.Audit;
using Clovers.Monitor.Server.Hosting;
using Clovers.Monitor.Server.Storage;
using Clovers.Monitor.Shared.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Auth;

public static class AuthServiceCollectionExtensions
{
    /// <summary>Largest request body accepted; the rule set is the biggest thing anyone sends.</summary>
    public const long MaxRequestBodyBytes = 1024 * 1024;

    /// <summary>
    /// Accounts (ASP.NET Core Identity on <c>state.db</c>), the session cookie and API tokens,
    /// the four role policies, login rate limiting, and the audit log. Call after <c>AddState()</c>.
    /// </summary>
    public static WebApplicationBuilder AddAuth(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddAudit();
        var services = builder.Services;
        services.AddValidatedOptions<AuthOptions, AuthOptionsValidator>(AuthOptions.SectionName);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes);

        services.TryAddScoped<SqliteUserStore>();
        services.TryAddScoped<IUserStore<MonitorUser>>(sp => sp.GetRequiredService<SqliteUserStore>());
        services.AddIdentityCore<MonitorUser>();
        services.AddOptions<IdentityOptions>().Configure<IOptions<AuthOptions>>((identity, auth) =>
        {
            identity.Lockout.AllowedForNewUsers = true;
            identity.Lockout.MaxFailedAccessAttempts = auth.Value.MaxFailedLogins;
            identity.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(auth.Value.LockoutMinutes);
            identity.Password.RequiredLength = auth.Value.MinPasswordLength;
            identity.Password.RequireDigit = false;
            identity.Password.RequireLowercase = false;
            identity.Password.RequireUppercase = false;
            identity.Password.RequireNonAlphanumeric = false;
            identity.Password.RequiredUniqueChars = 4;
        });
        services.TryAddScoped<UserAccounts>();
        services.TryAddSingleton<UserConnections>();
        services.TryAddSingleton<ApiTokenStore>();

        // The session cookie is encrypted with Data Protection keys kept next to state.db, so
        // sessions survive a restart and the keys are backed up with the data.
        services.AddDataProtection();
        services.AddOptions<KeyManagementOptions>().Configure<IOptions<StorageOptions>, ILoggerFactory>((keys, storage, logging) =>
            keys.XmlRepository = new FileSystemXmlRepository(
                new DirectoryInfo(Path.Combine(Path.GetFullPath(storage.Value.DataDirectory), "keys")), logging));

        services.AddAuthentication(AuthSchemes.Default)
            .AddPolicyScheme(AuthSchemes.Default, "Session cookie or API token", policy =>
                policy.ForwardDefaultSelector = context =>
                    ApiTokenAuthenticationHandler.HasBearer(context.Request) ? AuthSchemes.ApiToken : AuthSchemes.Cookie)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(AuthSchemes.ApiToken, null)
            .AddCookie(AuthSchemes.Cookie, cookie =>
            {
                cookie.Cookie.Name = AuthSchemes.CookieName;
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                // Secure whenever the request came over HTTPS (behind a proxy: with forwarded headers on).
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.SlidingExpiration = true;
                cookie.Events = new CookieAuthenticationEvents
                {
                    // The login page is the client's; an API caller gets a status, never a redirect.
                    OnRedirectToLogin = context => Status(context.Response, StatusCodes.Status401Unauthorized),
                    OnRedirectToAccessDenied = context => Status(context.Response, StatusCodes.Status403Forbidden),
                    OnValidatePrincipal = ValidateSessionAsync,
                };
            });
        services.AddOptions<CookieAuthenticationOptions>(AuthSchemes.Cookie).Configure<IOptions<AuthOptions>>((cookie, auth) =>
            cookie.ExpireTimeSpan = TimeSpan.FromHours(auth.Value.SessionHours));

        services.AddSingleton<IAuthorizationHandler, RoleRequirementHandler>();
        services.AddSingleton<IAuthorizationHandler, UndeclaredEndpointRequirementHandler>();
        services.AddAuthorizationBuilder()
            .AddPolicy(AuthPolicies.Viewer, p => p.AddRequirements(new RoleRequirement(MonitorRoles.Viewer, AnonymousWhenReadAllowed: true)))
            .AddPolicy(AuthPolicies.Account, p => p.RequireAuthenticatedUser().AddRequirements(new RoleRequirement(MonitorRoles.Viewer, AnonymousWhenReadAllowed: false)))
            .AddPolicy(AuthPolicies.Shifter, p => p.RequireAuthenticatedUser().AddRequirements(new RoleRequirement(MonitorRoles.Shifter, AnonymousWhenReadAllowed: false)))
            .AddPolicy(AuthPolicies.Expert, p => p.RequireAuthenticatedUser().AddRequirements(new RoleRequirement(MonitorRoles.Expert, AnonymousWhenReadAllowed: false)))
            .AddPolicy(AuthPolicies.Admin, p => p.RequireAuthenticatedUser().AddRequirements(new RoleRequirement(MonitorRoles.Admin, AnonymousWhenReadAllowed: false)))
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().AddRequirements(new UndeclaredEndpointRequirement()).Build());

        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(AuthEndpoints.LoginRateLimit, context =>
            {
                var perMinute = context.RequestServices.GetRequiredService<IOptionsMonitor<AuthOptions>>().CurrentValue.LoginAttemptsPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
            });
        });

        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Add(AuthJsonContext.Default));
        return builder;
    }

    /// <summary>Security headers, authentication, the cross-site guard, authorization and rate limiting, in that order.</summary>
    public static WebApplication UseAuth(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(RequestGuards.AddSecurityHeadersAsync);
        app.UseAuthentication();
        app.Use(RequestGuards.CheckCrossSiteAsync);
        app.UseAuthorization();
        app.UseRateLimiter();
        return app;
    }

    /// <summary><c>/api/auth/*</c>, <c>/api/users</c> and <c>/api/audit</c>.</summary>
    public static WebApplication MapAuth(this WebApplication app)
    {
        app.MapAuthApi();
        app.MapUserApi();
        app.MapAuditApi();
        return app;
    }

    private static Task Status(HttpResponse response, int status)
    {
        response.StatusCode = status;
        return Task.CompletedTask;
    }

    /// <summary>
    /// Every request re-reads the account: a disabled account, a new password or a changed role
    /// (each changes the security stamp) ends the session at once, not when the cookie expires.
    /// </summary>
    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var accounts = context.HttpContext.RequestServices.GetRequiredService<UserAccounts>();
        var id = context.Principal?.FindFirstValue(ClaimTypes.NameIdentifier);
        var stamp = context.Principal?.FindFirstValue(AuthSchemes.SecurityStampClaim);
        var user = id is null ? null : await accounts.FindByIdAsync(id);
        if (user is null || user.Disabled || !string.Equals(user.SecurityStamp, stamp, StringComparison.Ordinal))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(AuthSchemes.Cookie);
        }
    }
}
