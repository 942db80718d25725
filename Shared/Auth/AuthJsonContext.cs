using System.Text.Json;
using System.Text.Json.Serialization;

namespace Clovers.Monitor.Shared.Auth;

/// <summary>Source-generated JSON for accounts, tokens and the audit log.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(LoginRequest))]
[JsonSerializable(typeof(CurrentUser))]
[JsonSerializable(typeof(CreateTokenRequest))]
[JsonSerializable(typeof(ApiTokenCreated))]
[JsonSerializable(typeof(IReadOnlyList<ApiTokenInfo>))]
[JsonSerializable(typeof(IReadOnlyList<UserInfo>))]
[JsonSerializable(typeof(UserInfo))]
[JsonSerializable(typeof(CreateUserRequest))]
[JsonSerializable(typeof(CreatedUser))]
[JsonSerializable(typeof(UpdateUserRequest))]
[JsonSerializable(typeof(SetPasswordRequest))]
[JsonSerializable(typeof(PasswordSet))]
[JsonSerializable(typeof(AuditPage))]
public sealed partial class AuthJsonContext : JsonSerializerContext;
