using System.Buffers.Binary;
using System.IO.Compression;

namespace MathDnn.Data;

/// <summary>
/// The IDX format of the original MNIST files (LeCun et al.): a 4-byte magic number — two zero bytes, a type code
/// (0x08 = unsigned byte) and the number of dimensions r — then r big-endian 32-bit sizes, then the values in
/// row-major order. The reader checks the magic number, the type, the rank and every size, and compares the length the
/// header announces with the length of the file before allocating anything, so a corrupted or truncated file is
/// reported in one line (file, what was expected, what was found: a <see cref="DataFormatException"/>) instead of an
/// out-of-memory error or silent garbage.
/// Gzipped files (<c>.gz</c>, recognised by their 1F 8B signature) are read through a decompressor; their length is
/// taken from the gzip trailer (ISIZE, the uncompressed length modulo 2³²).
/// </summary>
public static class Idx
{
    /// <summary>The type code of unsigned bytes, the only one MNIST uses.</summary>
    public const byte UnsignedByte = 0x08;

    /// <summary>Reads an IDX file of unsigned bytes with <paramref name="rank"/> dimensions: its sizes and its values.</summary>
    /// <param name="path">The file, plain or gzipped.</param>
    /// <param name="rank">The number of dimensions the file must have (MNIST: 3 for images, 1 for labels).</param>
    /// <returns>The <paramref name="rank"/> sizes d₁…d_r as the header gives them, and the d₁·…·d_r values in row-major
    /// order (the last index varies fastest: image i, row r, column c of an n×28×28 file at (i·28 + r)·28 + c).</returns>
    /// <exception cref="DataFormatException">The file is missing or not a regular file (a folder, a FIFO, a device), is not an IDX file of unsigned bytes of that rank, has a
    /// non-positive or oversized dimension, is shorter or longer than its header announces, or is corrupted gzip.</exception>
    public static (int[] Dimensions, byte[] Values) Read(string path, int rank)
    {
        // A regular file only, checked without opening it: opening a FIFO without a writer would block for ever.
        if (IO.FileCheck.ReadProblem(path) is { } problem) throw new DataFormatException($"{path}: {problem}.");
        using var file = File.OpenRead(path);
        long length = file.Length;
        Stream stream = file;
        bool gzipped = false;
        if (length >= 2 && ReadPrefix(file) is [0x1F, 0x8B])
        {
            if (length < 18) throw new DataFormatException($"{path}: truncated gzip file ({length} bytes).");
            file.Seek(-4, SeekOrigin.End);
            Span<byte> trailer = stackalloc byte[4];
            file.ReadExactly(trailer);
            length = BinaryPrimitives.ReadUInt32LittleEndian(trailer); // ISIZE: the uncompressed length mod 2³²
            file.Seek(0, SeekOrigin.Begin);
            stream = new GZipStream(file, CompressionMode.Decompress);
            gzipped = true;
        }
        try
        {
            return ReadFrom(stream, length, gzipped, path, rank);
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException($"{path}: corrupted gzip data ({e.Message.TrimEnd('.')}).");
        }
        finally
        {
            if (gzipped) stream.Dispose();
        }
    }

    private static byte[] ReadPrefix(FileStream file)
    {
        var prefix = new byte[2];
        file.ReadExactly(prefix);
        file.Seek(0, SeekOrigin.Begin);
        return prefix;
    }

    private static (int[], byte[]) ReadFrom(Stream stream, long length, bool gzipped, string path, int rank)
    {
        var magic = new byte[4];
        if (ReadFully(stream, magic) < 4) throw new DataFormatException($"{path}: truncated IDX file: no 4-byte magic number.");
        if (magic[0] != 0 || magic[1] != 0)
            throw new DataFormatException($"{path}: not an IDX file: the magic number 0x{Convert.ToHexString(magic)} does not start with two zero bytes.");
        if (magic[2] != UnsignedByte)
            throw new DataFormatException($"{path}: IDX type code 0x{magic[2]:X2} is not supported; MNIST files hold unsigned bytes (0x08).");
        if (magic[3] != rank)
            throw new DataFormatException($"{path}: the IDX header announces {magic[3]} dimension(s), expected {rank} (magic number 0x{Convert.ToHexString(magic)}).");

        var header = new byte[4 * rank];
        if (ReadFully(stream, header) < header.Length)
            throw new DataFormatException($"{path}: truncated IDX file: the header needs {4 + header.Length} bytes.");
        var dims = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++)
        {
            int d = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4 * i));
            if (d <= 0) throw new DataFormatException($"{path}: IDX dimension {i + 1} is {d}; sizes must be positive.");
            dims[i] = d;
            count *= d;
            if (count > Array.MaxLength) throw new DataFormatException($"{path}: the IDX header announces more than {Array.MaxLength} values.");
        }

        // Check the announced size against the file before allocating: a corrupted header must not allocate gigabytes.
        long expected = 4 + header.Length + count;
        long actual = length;
        if (gzipped) expected %= 1L << 32; // ISIZE is the length modulo 2³²
        string shape = string.Join("×", dims);
        if (actual < expected)
            throw new DataFormatException($"{path}: truncated IDX file: the header announces {shape} = {count} values ({4 + header.Length + count} bytes) but the file has {actual} bytes{(gzipped ? " uncompressed" : "")}.");
        if (actual > expected)
            throw new DataFormatException($"{path}: corrupted IDX file: {actual - expected} byte(s) after the {shape} values the header announces.");

        var values = new byte[count];
        int read = ReadFully(stream, values);
        if (read < count)
            throw new DataFormatException($"{path}: truncated IDX file: the header announces {shape} = {count} values but only {read} follow.");
        if (gzipped && stream.ReadByte() >= 0)
            throw new DataFormatException($"{path}: corrupted IDX file: data after the {shape} values the header announces.");
        return (dims, values);
    }

    private static int ReadFully(Stream stream, byte[] buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = stream.Read(buffer, total, buffer.Length - total);
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    /// <summary>Writes an IDX file of unsigned bytes (used by tests and tools; MNIST itself is read, not written).</summary>
    /// <param name="stream">Where the bytes go: the magic number 00 00 08 r, the r sizes big-endian, then the values.</param>
    /// <param name="dimensions">The sizes d₁…d_r; their product should be the number of values (not checked).</param>
    /// <param name="values">The values in row-major order.</param>
    public static void Write(Stream stream, int[] dimensions, ReadOnlySpan<byte> values)
    {
        Span<byte> word = stackalloc byte[4];
        stream.Write([0, 0, UnsignedByte, (byte)dimensions.Length]);
        foreach (var d in dimensions)
        {
            BinaryPrimitives.WriteInt32BigEndian(word, d);
            stream.Write(word);
        }
        stream.Write(values);
    }
}
