namespace MathDnn.IO;

/// <summary>
/// A model file problem, reading or writing: one line naming the source (the file, or the name given to a string or a
/// stream), the field (JSON path, e.g. <c>layers[2].W[3]</c>) and what was expected, in the form
/// <c>{source}: {field}: {what}.</c>
/// </summary>
/// <param name="message">The one-line message.</param>
public sealed class ModelFileException(string message) : Exception(message);
