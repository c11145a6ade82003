namespace MathDnn.Data;

/// <summary>
/// A data file that cannot be read as what it claims to be: missing, malformed, inconsistent or outside the expected
/// range. The message is one line that names the source (a file name, with the line when there is one), the line and
/// column or field, and what was expected, e.g. <c>train.csv:7: column 3 is "x", expected a number.</c> or
/// <c>labels.idx: truncated IDX file: the header announces 60000 = 60000 values (60008 bytes) but the file has 1000 bytes.</c>
/// It is thrown by <see cref="CsvData"/>, <see cref="Idx"/>, <see cref="Mnist"/> and <see cref="BuiltInData"/>; the
/// <c>mathdnn</c> command line prints the message and exits with code 2.
/// </summary>
/// <param name="message">The one-line description: source, position, what was found and what was expected.</param>
public sealed class DataFormatException(string message) : Exception(message);
