using System.Diagnostics;
using System.Globalization;
using MathDnn.Training;
using Spectre.Console;

namespace MathDnn.Cli.Output;

/// <summary>
/// How training progress is shown: a live Spectre.Console progress bar per epoch (loss, accuracy, samples/s) on a
/// terminal, one plain line per epoch when the output is redirected or is a test's writer, nothing at all when stdout
/// carries a JSON document and stderr is not a terminal.
/// </summary>
internal sealed class TrainingDisplay
{
    private readonly TextWriter? plain;
    private readonly TextWriter? live;
    private readonly int lastEpoch;

    private TrainingDisplay(TextWriter? plain, TextWriter? live, int lastEpoch)
    {
        this.plain = plain;
        this.live = live;
        this.lastEpoch = lastEpoch;
    }

    /// <summary>The display for a run: a live line on a terminal, plain lines otherwise; with <paramref name="json"/> stdout is left to the JSON and the live line goes to a terminal stderr.</summary>
    /// <param name="shell">The shell whose writers and terminals are used.</param>
    /// <param name="json">Whether stdout carries the JSON result.</param>
    /// <param name="lastEpoch">The number of the last epoch of the run (n + k when resuming n epochs with k more).</param>
    public static TrainingDisplay For(Shell shell, bool json, int lastEpoch) =>
        json
            ? new TrainingDisplay(null, shell.ErrIsTerminal ? shell.Err : null, lastEpoch)
            : shell.OutIsTerminal ? new TrainingDisplay(null, shell.Out, lastEpoch) : new TrainingDisplay(shell.Out, null, lastEpoch);

    /// <summary>Runs <paramref name="train"/> with the progress sink of this display.</summary>
    public T Run<T>(Func<IProgress<TrainingProgress>?, T> train)
    {
        if (plain is not null) return train(new PlainLines(plain, lastEpoch));
        if (live is null) return train(null);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(live) });
        return console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx => train(new LiveBars(ctx, lastEpoch)));
    }

    /// <summary>"epoch  3/30  loss 0.1234  accuracy 0.9612  val_loss …  48,210 samples/s".</summary>
    internal static string Line(EpochRecord r, int lastEpoch, double samplesPerSecond)
    {
        var inv = CultureInfo.InvariantCulture;
        int width = lastEpoch.ToString(inv).Length;
        var s = $"epoch {r.Epoch.ToString(inv).PadLeft(width)}/{lastEpoch}  loss {r.Loss.ToString("F4", inv)}";
        if (r.Accuracy is double a) s += $"  accuracy {a.ToString("F4", inv)}";
        if (r.ValidationLoss is double vl) s += $"  val_loss {vl.ToString("F4", inv)}";
        if (r.ValidationAccuracy is double va) s += $"  val_accuracy {va.ToString("F4", inv)}";
        return s + $"  {Rate(samplesPerSecond)} samples/s";
    }

    private static string Rate(double r) => double.IsFinite(r) ? r.ToString("N0", CultureInfo.InvariantCulture) : "—";

    /// <summary>Measures the training speed of each epoch: from the end of the previous one to its last step.</summary>
    private sealed class Speed
    {
        private readonly Stopwatch clock = Stopwatch.StartNew();
        private double epochStart, lastStep;

        public void Step() => lastStep = clock.Elapsed.TotalSeconds;

        public double SamplesPerSecond(int samples)
        {
            double dt = lastStep - epochStart;
            epochStart = clock.Elapsed.TotalSeconds;
            return dt > 0 ? samples / dt : double.PositiveInfinity;
        }

        public double Current(int samples) => samples / Math.Max(1e-9, clock.Elapsed.TotalSeconds - epochStart);
    }

    private sealed class PlainLines(TextWriter writer, int lastEpoch) : IProgress<TrainingProgress>
    {
        private readonly Speed speed = new();

        public void Report(TrainingProgress p)
        {
            if (p.Completed is null) { speed.Step(); return; }
            writer.WriteLine(Line(p.Completed, lastEpoch, speed.SamplesPerSecond(p.SamplesPerEpoch)));
            writer.Flush();
        }
    }

    private sealed class LiveBars(ProgressContext context, int lastEpoch) : IProgress<TrainingProgress>
    {
        private readonly Speed speed = new();
        private readonly Stopwatch sinceRefresh = Stopwatch.StartNew();
        private ProgressTask? task;
        private int epoch;

        public void Report(TrainingProgress p)
        {
            var inv = CultureInfo.InvariantCulture;
            if (p.Completed is { } r)
            {
                var t = TaskFor(p.Epoch, p.SamplesPerEpoch);
                t.Value = t.MaxValue;
                t.Description = Markup.Escape(Line(r, lastEpoch, speed.SamplesPerSecond(p.SamplesPerEpoch)));
                t.StopTask();
                return;
            }
            speed.Step();
            var current = TaskFor(p.Epoch, p.SamplesPerEpoch);
            current.Value = p.SamplesSeen;
            if (sinceRefresh.ElapsedMilliseconds < 100 && p.Step != p.StepsPerEpoch) return;
            sinceRefresh.Restart();
            int width = lastEpoch.ToString(inv).Length;
            var text = $"epoch {p.Epoch.ToString(inv).PadLeft(width)}/{lastEpoch}  loss {p.RunningLoss.ToString("F4", inv)}";
            if (p.RunningAccuracy is double a) text += $"  accuracy {a.ToString("F4", inv)}";
            text += $"  {Rate(speed.Current(p.SamplesSeen))} samples/s";
            current.Description = Markup.Escape(text);
        }

        private ProgressTask TaskFor(int e, int samples)
        {
            if (task is null || epoch != e)
            {
                epoch = e;
                task = context.AddTask(Markup.Escape($"epoch {e}/{lastEpoch}"), autoStart: true, maxValue: samples);
            }
            return task;
        }
    }
}
