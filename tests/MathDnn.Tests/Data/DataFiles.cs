namespace MathDnn.Tests.Data;

/// <summary>A temporary folder for the files of the data tests, deleted with it.</summary>
internal sealed class DataFiles : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("mathdnn-data-").FullName;

    public void Dispose() => Directory.Delete(Dir, recursive: true);

    /// <summary>A path in the temporary folder.</summary>
    public string P(string name) => Path.Combine(Dir, name);

    public string Bytes(string name, byte[] bytes)
    {
        var path = P(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Writes an IDX file of unsigned bytes at <paramref name="path"/>, or gzipped at <paramref name="path"/>.gz.</summary>
    public static void WriteIdx(string path, int[] dims, byte[] values, bool gzip)
    {
        if (!gzip)
        {
            using var f = File.Create(path);
            MathDnn.Data.Idx.Write(f, dims, values);
            return;
        }
        using var file = File.Create(path + ".gz");
        using var gz = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionLevel.Fastest);
        MathDnn.Data.Idx.Write(gz, dims, values);
    }
}
