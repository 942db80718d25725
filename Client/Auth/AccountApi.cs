using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;
using Clovers.Monitor.Client.Live;
using Clovers.Monitor.Shared.Auth;

namespace Clovers.Monitor.Client.Auth;

/// <summary>An answer of the server: the value, or the reason it refused.</summary>
public sealed record ApiResult<T>(T? Value, string? Error)
{
    public bool Succeeded => Error is null;
}

/// <summary>API tokens, accounts and the audit log as the pages use them.</summary>
public sealed class AccountApi(HttpClient http)
{
    public Task<ApiResult<IReadOnlyList<ApiTokenInfo>>> TokensAsync(CancellationToken cancellationToken) =>
        GetAsync(AuthRoutes.Tokens, AuthJsonContext.Default.IReadOnlyListApiTokenInfo, cancellationToken);

    public Task<ApiResult<ApiTokenCreated>> CreateTokenAsync(string name, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, AuthRoutes.Tokens, JsonContent.Create(new CreateTokenRequest(name), AuthJsonContext.Default.CreateTokenRequest), AuthJsonContext.Default.ApiTokenCreated, cancellationToken);

    public Task<ApiResult<bool>> RevokeTokenAsync(string id, CancellationToken cancellationToken) =>
        SendAsync<bool>(HttpMethod.Delete, AuthRoutes.Token(id), null, null, cancellationToken);

    public Task<ApiResult<IReadOnlyList<UserInfo>>> UsersAsync(CancellationToken cancellationToken) =>
        GetAsync(AuthRoutes.Users, AuthJsonContext.Default.IReadOnlyListUserInfo, cancellationToken);

    public Task<ApiResult<CreatedUser>> CreateUserAsync(CreateUserRequest request, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, AuthRoutes.Users, JsonContent.Create(request, AuthJsonContext.Default.CreateUserRequest), AuthJsonContext.Default.CreatedUser, cancellationToken);

    public Task<ApiResult<UserInfo>> UpdateUserAsync(string name, UpdateUserRequest request, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Patch, AuthRoutes.User(name), JsonContent.Create(request, AuthJsonContext.Default.UpdateUserRequest), AuthJsonContext.Default.UserInfo, cancellationToken);

    public Task<ApiResult<PasswordSet>> ResetPasswordAsync(string name, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, AuthRoutes.UserPassword(name), JsonContent.Create(new SetPasswordRequest(null), AuthJsonContext.Default.SetPasswordRequest), AuthJsonContext.Default.PasswordSet, cancellationToken);

    public Task<ApiResult<AuditPage>> AuditAsync(string? user, string? action, int offset, int limit, CancellationToken cancellationToken)
    {
        var query = new List<string>
        {
            "offset=" + offset.ToString(CultureInfo.InvariantCulture),
            "limit=" + limit.ToString(CultureInfo.InvariantCulture),
        };
        if (!string.IsNullOrWhiteSpace(user))
        {
            query.Add("user=" + Uri.EscapeDataString(user.Trim()));
        }

        if (!string.IsNullOrWhiteSpace(action))
        {
            query.Add("action=" + Uri.EscapeDataString(action.Trim()));
        }

        return GetAsync(AuthRoutes.Audit + "?" + string.Join('&', query), AuthJsonContext.Default.AuditPage, cancellationToken);
    }

    private Task<ApiResult<T>> GetAsync<T>(string route, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, route, null, type, cancellationToken);

    private async Task<ApiResult<T>> SendAsync<T>(HttpMethod method, string route, HttpContent? body, JsonTypeInfo<T>? type, CancellationToken cancellationToken)
    {
        using (body)
        {
            try
            {
                using var request = new HttpRequestMessage(method, new Uri(ApiPaths.Relative(route), UriKind.Relative)) { Content = body };
                using var response = await http.SendAsync(request, cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    return new ApiResult<T>(default, await ProblemText.ReadAsync(response, cancellationToken));
                }

                return type is null
                    ? new ApiResult<T>(default, null)
                    : new ApiResult<T>(await response.Content.ReadFromJsonAsync(type, cancellationToken), null);
            }
            catch (HttpRequestException exception)
            {
                return new ApiResult<T>(default, "The server could not be reached: " + exception.Message);
            }
        }
    }
}
