using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Clovers.Monitor.Server.Mqtt.Security;

/// <summary>
/// PBKDF2 password hashes in the format of ASP.NET Core Identity's <c>PasswordHasher</c> (version 3:
/// marker byte 0x01, PRF, iteration count, salt length, salt, subkey; big-endian, Base64), so a
/// hash made by either verifies with the other and no plain password is ever configured.
/// </summary>
public static class MqttPasswordHasher
{
    private const byte FormatMarker = 0x01;
    private const int HeaderLength = 13;
    private const int SaltLength = 16;
    private const int SubkeyLength = 32;
    private const int MinIterations = 10_000;

    /// <summary>What Identity uses by default since .NET 7.</summary>
    public const int DefaultIterations = 100_000;

    public static string Hash(string password, int iterations = DefaultIterations)
    {
        ArgumentNullException.ThrowIfNull(password);
        var salt = RandomNumberGenerator.GetBytes(SaltLength);
        var subkey = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA512, SubkeyLength);
        var output = new byte[HeaderLength + SaltLength + SubkeyLength];
        output[0] = FormatMarker;
        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(1), 2); // KeyDerivationPrf.HMACSHA512
        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(5), (uint)iterations);
        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(9), SaltLength);
        salt.CopyTo(output, HeaderLength);
        subkey.CopyTo(output, HeaderLength + SaltLength);
        return Convert.ToBase64String(output);
    }

    /// <summary>True when <paramref name="hash"/> is a well-formed version 3 hash (checked at start, so a plain password in the configuration is refused).</summary>
    public static bool IsWellFormed(string? hash) => TryParse(hash, out _);

    /// <summary>Constant-time check of <paramref name="password"/> against <paramref name="hash"/>; false for a malformed hash.</summary>
    public static bool Verify(string? hash, string? password)
    {
        if (password is null || !TryParse(hash, out var parsed))
        {
            return false;
        }

        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), parsed.Salt, parsed.Iterations, parsed.Prf, parsed.Subkey.Length);
        return CryptographicOperations.FixedTimeEquals(actual, parsed.Subkey);
    }

    private static bool TryParse(string? hash, out ParsedHash parsed)
    {
        parsed = default;
        if (string.IsNullOrWhiteSpace(hash))
        {
            return false;
        }

        var bytes = new byte[hash.Length];
        if (!Convert.TryFromBase64String(hash.Trim(), bytes, out var length) || length < HeaderLength + 16 || bytes[0] != FormatMarker)
        {
            return false;
        }

        var span = bytes.AsSpan(0, length);
        HashAlgorithmName? prf = BinaryPrimitives.ReadUInt32BigEndian(span[1..]) switch
        {
            0 => HashAlgorithmName.SHA1,
            1 => HashAlgorithmName.SHA256,
            2 => HashAlgorithmName.SHA512,
            _ => null,
        };
        var iterations = BinaryPrimitives.ReadUInt32BigEndian(span[5..]);
        var saltLength = BinaryPrimitives.ReadUInt32BigEndian(span[9..]);
        if (prf is null || iterations < MinIterations || iterations > int.MaxValue || saltLength < 8 || saltLength > length - HeaderLength - 16)
        {
            return false;
        }

        var salt = span.Slice(HeaderLength, (int)saltLength).ToArray();
        var subkey = span[(HeaderLength + (int)saltLength)..].ToArray();
        parsed = new ParsedHash(prf.Value, (int)iterations, salt, subkey);
        return true;
    }

    private readonly record struct ParsedHash(HashAlgorithmName Prf, int Iterations, byte[] Salt, byte[] Subkey);
}
