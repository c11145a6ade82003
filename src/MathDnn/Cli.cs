using System.CommandLine;
using System.Text.RegularExpressions;
using MathDnn.Cli.Commands;
using MathDnn.Data;
using MathDnn.Distributed;
using MathDnn.IO;
using MathDnn.Training;

namespace MathDnn.Cli;

/// <summary>
/// Entry point of the shell, callable in-process by tests with their own writers. Exit codes: 0 ok; 1 a check failed
/// (verify, gradcheck), training diverged, or an unexpected error; 2 bad input (options, data files, model files).
/// Every error is one line on stderr starting with "mathdnn:", never a stack trace.
/// </summary>
public static class Cli
{
    /// <summary>Exit code 0: the command succeeded.</summary>
    public const int Ok = 0;
    /// <summary>Exit code 1: a check failed, training diverged, or an unexpected error occurred.</summary>
    public const int CheckFailed = 1;
    /// <summary>Exit code 2: bad input (options, data files, model files).</summary>
    public const int BadInput = 2;

    /// <summary>Parses <paramref name="args"/> and runs the command, writing results to <paramref name="stdout"/> and one-line errors to <paramref name="stderr"/>; returns <see cref="Ok"/>, <see cref="CheckFailed"/> or <see cref="BadInput"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="args"/> is null.</exception>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        var shell = new Shell(stdout, stderr);
        try { return RunCommand(args, shell, stdout, stderr); }
        finally { shell.ActiveRanks?.Dispose(); } // MPI_Finalize when the command ran on MPI ranks
    }

    private static int RunCommand(string[] args, Shell shell, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("mathdnn: train, evaluate and check dense neural networks (see README.md, section \"Command line\").")
        {
            TrainCommand.Create(shell),
            EvaluateCommand.Create(shell),
            PredictCommand.Create(shell),
            GradcheckCommand.Create(shell),
            JacobianCommand.Create(shell),
            VerifyCommand.Create(shell),
            DatasetsCommand.Create(shell),
            TheoryCommand.Create(shell),
            BenchCommand.Create(shell),
            OnnxCommands.Export(shell),
            OnnxCommands.Import(shell),

        };
        root.SetAction(_ =>
        {
            Fail(shell, "no command given; the commands are train, evaluate, predict, gradcheck, jacobian, verify, datasets, theory, bench, export, import (mathdnn --help).");
            return BadInput;
        });

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            var command = parse.CommandResult.Command;
            string help = command is RootCommand ? "mathdnn --help" : $"mathdnn {command.Name} --help";
            Fail(shell, $"{Readable(parse.Errors[0].Message).TrimEnd('.')} (see {help}).");
            return BadInput;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            });
        }
        finally
        {
            stdout.Flush();
            stderr.Flush();
        }
    }

    /// <summary>Runs a command's body, turning every exception into one line on stderr and its exit code.</summary>
    /// <remarks>Under mpirun the ranks' session decides who prints and which exit code every rank returns (<see cref="Distributed.RankSession"/>).</remarks>
    internal static int Guard(Shell shell, Func<int> body)
    {
        int Report(Exception e, string message, int code) => shell.ActiveRanks is { } ranks ? ranks.Failed(shell, e, message, code) : Failed(message, code);
        int Failed(string message, int code)
        {
            Fail(shell, message);
            return code;
        }
        try
        {
            int code = body();
            return shell.ActiveRanks?.Completed(code) ?? code;
        }
        catch (Exception e) when (e is BadInputException or DataFormatException or ModelFileException)
        {
            return Report(e, e.Message, BadInput);
        }
        catch (ArgumentException e)
        {
            return Report(e, e.Message, BadInput);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Report(e, FileError(e), BadInput);
        }
        catch (TrainingDivergedException e)
        {
            return Report(e, e.Message, CheckFailed);
        }
        catch (ArithmeticException e)
        {
            return Report(e, e.Message, CheckFailed);
        }
        catch (RankFailedException e)
        {
            return Report(e, e.Message, Distributed.RankSession.ExitCode(e));
        }
        catch (Exception e)
        {
            return Report(e, $"internal error ({e.GetType().Name}): {e.Message}", CheckFailed);
        }
    }

    internal static void Fail(Shell shell, string message)
    {
        shell.Err.WriteLine("mathdnn: " + OneLine(message));
        shell.Err.Flush();
    }

    /// <summary>The parser's messages with .NET type names replaced by what a user types.</summary>
    private static string Readable(string message) => message
        .Replace("'System.Nullable`1[System.Int32]'", "integer").Replace("'System.Int32'", "integer")
        .Replace("'System.Nullable`1[System.Double]'", "number").Replace("'System.Double'", "number")
        .Replace("as expected type integer", "as an integer").Replace("as expected type number", "as a number");

    /// <summary>
    /// A file error of .NET worded as the shell's: <c>Input/output error : '/x'</c> → <c>/x: input/output error.</c>,
    /// <c>Access to the path '/x' is denied.</c> → <c>/x: permission denied.</c>, <c>Could not find file '/x'.</c> →
    /// <c>/x: no such file.</c>; other messages (the library's, which name the file first) unchanged.
    /// </summary>
    internal static string FileError(Exception e)
    {
        var m = e.Message;
        if (Regex.Match(m, @"^Access to the path '(?<path>.+)' is denied\.$") is { Success: true } denied)
            return $"{denied.Groups["path"].Value}: permission denied.";
        if (Regex.Match(m, @"^Could not find (?:file|a part of the path) '(?<path>.+)'\.$") is { Success: true } missing)
            return $"{missing.Groups["path"].Value}: no such file.";
        if (Regex.Match(m, @"^(?<what>[^']+?) : '(?<path>.+)'\.?$") is { Success: true } os)
        {
            var what = os.Groups["what"].Value;
            return $"{os.Groups["path"].Value}: {char.ToLowerInvariant(what[0])}{what[1..]}.";
        }
        return m;
    }

    internal static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
