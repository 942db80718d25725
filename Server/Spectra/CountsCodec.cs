using System.Buffers.Binary;

namespace Clovers.Monitor.Server.Spectra;

/// <summary>
/// Compact blobs for state.db. Counts are unsigned LEB128 varints — most bins of a spectrum hold
/// small numbers, so 200 bins take a few hundred bytes instead of 1600. Edges are little-endian
/// doubles, written once per run and key.
/// </summary>
public static class CountsCodec
{
    public static byte[] EncodeCounts(IReadOnlyList<long> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var buffer = new byte[counts.Count * 10];
        var length = 0;
        foreach (var count in counts)
        {
            var value = (ulong)count;
            while (value >= 0x80)
            {
                buffer[length++] = (byte)(value | 0x80);
                value >>= 7;
            }

            buffer[length++] = (byte)value;
        }

        return buffer[..length];
    }

    public static long[] DecodeCounts(ReadOnlySpan<byte> blob)
    {
        var counts = new List<long>(blob.Length);
        ulong value = 0;
        var shift = 0;
        foreach (var b in blob)
        {
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                counts.Add((long)value);
                value = 0;
                shift = 0;
            }
            else
            {
                shift += 7;
                if (shift > 63)
                {
                    throw new FormatException("A count in the blob is longer than 64 bits.");
                }
            }
        }

        return [.. counts];
    }

    public static byte[] EncodeEdges(IReadOnlyList<double> edges)
    {
        ArgumentNullException.ThrowIfNull(edges);
        var buffer = new byte[edges.Count * sizeof(double)];
        for (var i = 0; i < edges.Count; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(buffer.AsSpan(i * sizeof(double)), edges[i]);
        }

        return buffer;
    }

    public static double[] DecodeEdges(ReadOnlySpan<byte> blob)
    {
        var edges = new double[blob.Length / sizeof(double)];
        for (var i = 0; i < edges.Length; i++)
        {
            edges[i] = BinaryPrimitives.ReadDoubleLittleEndian(blob[(i * sizeof(double))..]);
        }

        return edges;
    }
}
