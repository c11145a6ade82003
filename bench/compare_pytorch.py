#!/usr/bin/env python3
"""The MNIST epoch scenario of `mathdnn bench` in PyTorch, and the markdown table of a comparison.

Two uses (bench/compare-pytorch.sh calls both):

  compare_pytorch.py run --precision float64|float32 --epochs N --threads N --batch 128 --seed 42
                         --warmup-steps 300 --mnist-dir data/mnist
      trains the same network as `mathdnn bench` and prints one JSON document with the same keys
      (samples_per_second, precision, backend, threads, gemm_gflops, test_accuracy, dataset, ...).
      Needs torch and numpy.

  compare_pytorch.py table RESULT.json...
      prints the markdown table of the results (mathdnn's and PyTorch's documents, any order). Standard library only.

  dotnet run -c Release --project bench/MathDnn.Bench -- --quick | compare_pytorch.py quick-table
      turns the bench project's --quick GEMM table into markdown (GFLOP/s, median of the batches). Standard library only.

The scenario, as in src/MathDnn/Commands/BenchCommand.cs:
  - 784 -> 256 -> 128 -> 10, ReLU after the hidden layers; with --init-from (what compare-pytorch.sh passes), mathdnn's
    own initial parameters and its per-epoch sample orders, written by `mathdnn bench --export-run`, so both sides train
    the same model on the same batches; otherwise weights He normal N(0, 2/fan_in) before a ReLU and Glorot uniform
    U(-a, a), a = sqrt(6/(fan_in + fan_out)), for the last layer, biases 0 (the family of Network.MultiClass, not the
    same numbers), and torch.randperm shuffles;
  - softmax + categorical cross-entropy, the mean over each batch (nn.CrossEntropyLoss on the logits: the same function,
    fused);
  - SGD with momentum 0.9, PyTorch's convention (b <- 0.9 b + g, theta <- theta - 0.01 b), lr 0.01, no decay;
  - batch 128, a fresh random permutation every epoch, the last smaller batch kept;
  - the MNIST IDX files of data/mnist, pixels / 255;
  - timing: a discarded warm-up of --warmup-steps steps on a copy of the model, then the epochs, timed from the end of
    the first step to the end of the last epoch; samples/s = (epochs x n - first batch) / that time. The conversion of
    the data to the precision happens before, as does mathdnn's set-up (reported apart there).
"""
import argparse
import copy
import json
import os
import platform
import sys
import time


def read_idx(path):
    import numpy as np
    if not os.path.exists(path) and os.path.exists(path + ".gz"):
        import gzip
        with gzip.open(path + ".gz", "rb") as f:
            raw = f.read()
    else:
        with open(path, "rb") as f:
            raw = f.read()
    magic = int.from_bytes(raw[0:4], "big")
    rank = magic & 0xFF
    dims = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def load_mnist(folder, dtype):
    import torch
    def pair(images, labels):
        x = read_idx(os.path.join(folder, images)).reshape(-1, 784)
        y = read_idx(os.path.join(folder, labels))
        return torch.from_numpy(x.astype("float64") / 255.0).to(dtype), torch.from_numpy(y.astype("int64"))
    return (pair("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
            pair("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"))


def blas_info():
    """The BLAS torch calls: its build setting (Debian: BLAS_INFO=generic, i.e. libblas.so.3) and the library loaded."""
    import torch
    import re
    match = re.search(r"BLAS_INFO=(\w+)", torch.__config__.show())
    setting = "BLAS_INFO=" + (match.group(1) if match else "?")
    torch.mm(torch.ones(2, 2), torch.ones(2, 2))
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[-1] for line in f if "blas" in line.split()[-1].lower()}
        libs = sorted(os.path.basename(p) for p in paths if "lapack" not in os.path.basename(p))
    except OSError:
        libs = []
    return setting + (": " + ", ".join(libs) if libs else "")


def gemm_gflops(dtype, n=512, windows=5, seconds=0.02, warmup=0.1):
    """As mathdnn bench's GEMM figure: 2n³ over the best mean time per product of `windows` windows of back-to-back
    torch.mm calls (`seconds` each), after an untimed window of `warmup` seconds."""
    import torch
    g = torch.Generator().manual_seed(7)
    a = (torch.rand(n, n, generator=g, dtype=torch.float64) * 2 - 1).to(dtype)
    b = (torch.rand(n, n, generator=g, dtype=torch.float64) * 2 - 1).to(dtype)

    def window(length):
        start = time.perf_counter()
        products = 0
        while True:
            torch.mm(a, b)
            products += 1
            now = time.perf_counter()
            if now - start >= length:
                return (now - start) / products

    window(warmup)
    best = min(window(seconds) for _ in range(windows))
    return 2.0 * n ** 3 / best / 1e9


def run(args):
    # Debian's torch runs its element-wise kernels on an OpenMP pool and its products in libblas.so.3 (OpenBLAS, with a
    # pthread pool of its own). With both pools active-waiting on the same cores, 2 threads ran 6x slower than 1 on the
    # 2-core machine of the README; a passive OpenMP wait and OpenBLAS limited to the same count make PyTorch's best
    # figure. Both must be set before torch (and libgomp) load; values already in the environment win.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    os.environ.setdefault("OPENBLAS_NUM_THREADS", str(args.threads))
    import torch
    from torch import nn
    dtype = torch.float64 if args.precision == "float64" else torch.float32
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    (x, y), (xt, yt) = load_mnist(args.mnist_dir, dtype)
    n = x.shape[0]

    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10)).to(dtype)
    orders = None
    with torch.no_grad():
        if args.init_from:
            # mathdnn's own start (`mathdnn bench --export-run`): the same initial parameters and the same batches.
            import numpy as np
            with open(os.path.join(args.init_from, "run.json")) as f:
                run_info = json.load(f)
            if run_info["sizes"] != [784, 256, 128, 10] or run_info["train_samples"] != n or run_info["epochs"] < args.epochs:
                sys.exit(f"compare_pytorch: {args.init_from}/run.json is for sizes {run_info['sizes']}, "
                         f"{run_info['train_samples']} samples, {run_info['epochs']} epochs; expected 784-256-128-10, {n}, >= {args.epochs}")
            theta = np.fromfile(os.path.join(args.init_from, "theta.f64"), dtype="<f8")
            at = 0
            for layer in (l for l in model if isinstance(l, nn.Linear)):
                for p in (layer.weight, layer.bias):  # W (out x in, row-major) then b, as nn.Linear holds them
                    p.copy_(torch.from_numpy(theta[at:at + p.numel()].reshape(p.shape).copy()).to(dtype))
                    at += p.numel()
            if at != theta.size:
                sys.exit(f"compare_pytorch: theta.f64 holds {theta.size} values, the network {at}")
            orders = [torch.from_numpy(np.fromfile(os.path.join(args.init_from, f"order-{e + 1}.i32"), dtype="<i4").astype("int64"))
                      for e in range(args.epochs)]
        else:
            for i, layer in enumerate(l for l in model if isinstance(l, nn.Linear)):
                if i < 2:
                    nn.init.kaiming_normal_(layer.weight, mode="fan_in", nonlinearity="relu")  # He normal: N(0, 2/fan_in)
                else:
                    nn.init.xavier_uniform_(layer.weight)  # Glorot uniform
                nn.init.zeros_(layer.bias)
    loss_fn = nn.CrossEntropyLoss()

    def step(m, opt, xb, yb):
        opt.zero_grad(set_to_none=True)
        out = m(xb)
        loss = loss_fn(out, yb)
        loss.backward()
        opt.step()
        return out, loss

    # Warm-up on a copy, discarded.
    warm = copy.deepcopy(model)
    warm_opt = torch.optim.SGD(warm.parameters(), lr=0.01, momentum=0.9)
    steps = 0
    for i in range(0, n, args.batch):
        if steps >= args.warmup_steps:
            break
        step(warm, warm_opt, x[i:i + args.batch], y[i:i + args.batch])
        steps += 1

    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    gen = torch.Generator().manual_seed(args.seed)
    first_step_end = None
    epoch_ends, epoch_loss, epoch_accuracy = [], [], []
    start = time.perf_counter()
    for epoch in range(args.epochs):
        perm = orders[epoch] if orders is not None else torch.randperm(n, generator=gen)
        loss_sum, correct = 0.0, 0
        for i in range(0, n, args.batch):
            idx = perm[i:i + args.batch]
            xb, yb = x[idx], y[idx]
            out, loss = step(model, opt, xb, yb)
            loss_sum += loss.item() * len(idx)
            correct += (out.argmax(1) == yb).sum().item()
            if first_step_end is None:
                first_step_end = time.perf_counter()
        epoch_ends.append(time.perf_counter())
        epoch_loss.append(loss_sum / n)
        epoch_accuracy.append(correct / n)
    first_batch = min(args.batch, n)
    seconds = epoch_ends[-1] - first_step_end
    epoch_seconds = [t - (first_step_end if i == 0 else epoch_ends[i - 1]) for i, t in enumerate(epoch_ends)]

    model.eval()
    with torch.no_grad():
        out = model(xt)
        test_loss = loss_fn(out, yt).item()
        test_accuracy = (out.argmax(1) == yt).double().mean().item()

    doc = {
        "framework": "pytorch",
        "samples_per_second": round((args.epochs * n - first_batch) / seconds, 1),
        "precision": args.precision,
        "backend": f"PyTorch {torch.__version__} ({blas_info()})",
        "threads": torch.get_num_threads(),
        "gemm_gflops": round(gemm_gflops(dtype), 2),
        "gemm": f"512×512×512, {args.precision}, best of 5 windows of 20 ms (torch.mm)",
        "test_accuracy": test_accuracy,
        "test_loss": test_loss,
        "dataset": "mnist",
        "train_samples": n,
        "test_samples": xt.shape[0],
        "epochs": args.epochs,
        "batch": args.batch,
        "warmup_steps": steps,
        "seconds": round(seconds, 4),
        "setup_seconds": round(first_step_end - start, 4),
        "epoch_seconds": [round(t, 4) for t in epoch_seconds],
        "epoch_loss": epoch_loss,
        "epoch_accuracy": epoch_accuracy,
        "seed": args.seed,
        "start": f"mathdnn's initial parameters and batch order ({args.init_from})" if args.init_from else "PyTorch's own seeded initialisation and shuffles",
        "python": platform.python_version(),
        "environment": {k: os.environ[k] for k in ("OMP_WAIT_POLICY", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS") if k in os.environ},
    }
    json.dump(doc, sys.stdout, indent=2, ensure_ascii=False)
    print()


def machine():
    """'AMD EPYC, 2 processors, AVX2, no AVX-512' from /proc/cpuinfo (Linux), else the platform's description."""
    try:
        with open("/proc/cpuinfo") as f:
            info = f.read()
    except OSError:
        return platform.processor() or platform.machine()
    model = next((l.split(":", 1)[1].strip() for l in info.splitlines() if l.startswith("model name")), platform.machine())
    flags = next((l.split(":", 1)[1].split() for l in info.splitlines() if l.startswith("flags")), [])
    simd = ("AVX2" if "avx2" in flags else "no AVX2") + (", AVX-512" if "avx512f" in flags else ", no AVX-512")
    return f"{model}, {os.cpu_count()} processors, {simd}"


def median(values):
    v = sorted(values)
    return v[len(v) // 2] if len(v) % 2 else (v[len(v) // 2 - 1] + v[len(v) // 2]) / 2


def table(paths):
    """Files named mathdnn-<precision>-<backend>-r<round>.json and pytorch-<precision>-r<round>.json (rounds optional):
    medians over the rounds, and the median of the per-round ratios with their range."""
    import re
    docs = []
    for p in paths:
        with open(p) as f:
            text = f.read().strip()
        if text:
            d = json.loads(text)
            m = re.search(r"-r(\d+)\.json$", p)
            d["_round"] = int(m.group(1)) if m else 1
            # The backend asked for (MATHDNN_BACKEND, from the file name); auto's choice may differ between rounds.
            m = re.search(r"mathdnn-[^-]+-([a-z]+)(?:-r\d+)?\.json$", os.path.basename(p))
            d["_requested"] = m.group(1) if m else d.get("backend_kind", "")
            docs.append(d)
    ours = {}
    for d in docs:
        if d.get("framework") != "pytorch":
            ours.setdefault((d["precision"] != "float64", d["_requested"], d["precision"]), []).append(d)
    torch = {}
    for d in docs:
        if d.get("framework") == "pytorch":
            torch.setdefault(d["precision"], {})[d["_round"]] = d
    if not ours:
        print("no mathdnn results")
        return 1
    first = next(iter(sorted(ours.items())))[1][0]
    rounds = max(len(v) for v in ours.values())
    print(f"Measured {time.strftime('%Y-%m-%d')} on {machine()}; {first['dataset']} "
          f"({first['train_samples']:,} training, {first['test_samples']:,} test samples), 784-256-128-10 ReLU, "
          f"SGD momentum 0.9 (PyTorch convention), lr 0.01, batch {first['batch']}, {first['epochs']} epoch(s) timed "
          f"after {first['warmup_steps']} warm-up steps, {first['threads']} thread(s); "
          f"{rounds} round(s), alternating which side runs first: medians over the rounds, the ratio is the median of "
          f"the per-round ratios [min–max].")
    if torch:
        t = next(iter(next(iter(torch.values())).values()))
        env = ", ".join(f"{k}={v}" for k, v in t.get("environment", {}).items())
        print(f"PyTorch: {t['backend']}, torch.set_num_threads({t['threads']}), {env}, Python {t['python']}; "
              f"start: {t.get('start', 'PyTorch’s own seeded initialisation and shuffles')}.")
    else:
        print("PyTorch: not measured (`import torch` fails with /usr/bin/python3 or $TORCH_PYTHON).")
    print()
    print("| precision | mathdnn backend | mathdnn samples/s | PyTorch samples/s | ours / PyTorch "
          "| mathdnn test accuracy | PyTorch test accuracy | GEMM 512³ GFLOP/s mathdnn | GEMM 512³ GFLOP/s PyTorch |")
    print("|---|---|--:|--:|--:|--:|--:|--:|--:|")
    for key in sorted(ours):
        runs = ours[key]
        d = runs[0]
        t = torch.get(d["precision"], {})
        theirs = list(t.values())
        ratios = [r["samples_per_second"] / t[r["_round"]]["samples_per_second"] for r in runs if r["_round"] in t]
        backend = d["backend"].split(" (")[0] if d.get("backend_kind") == "openblas" else d["backend"]
        if d["_requested"] == "auto" and len(runs) > 1:
            # Auto calibrates in every process: say what it chose in each round, and show the first round's line.
            kinds = [r.get("backend_kind", "?") for r in runs]
            chosen = ", ".join(f"{k} ×{kinds.count(k)}" for k in sorted(set(kinds)))
            backend = f"auto, chose {chosen} in {len(runs)} rounds (round 1: {backend})"
        ratio = "—"
        if ratios:
            ratio = f"{median(ratios):.2f}" + (f" [{min(ratios):.2f}–{max(ratios):.2f}]" if len(ratios) > 1 else "")
        cells = [
            d["precision"],
            backend,
            f"{median([r['samples_per_second'] for r in runs]):,.0f}",
            f"{median([r['samples_per_second'] for r in theirs]):,.0f}" if theirs else "—",
            ratio,
            f"{100 * median([r['test_accuracy'] for r in runs]):.2f} %",
            f"{100 * median([r['test_accuracy'] for r in theirs]):.2f} %" if theirs else "—",
            f"{median([r['gemm_gflops'] for r in runs]):.1f}",
            f"{median([r['gemm_gflops'] for r in theirs]):.1f}" if theirs else "—",
        ]
        print("| " + " | ".join(cells) + " |")
    return 0


def quick_table(lines):
    """The --quick output (a header naming the backends, then 'type m×n×k median [min–max] …' rows) as markdown."""
    import re
    rows, backends, preamble = [], None, []
    for line in lines:
        line = line.rstrip("\n")
        if line.startswith("type"):
            backends = line.split()[2:]
        elif backends and line.strip():
            cells = re.findall(r"([\d.]+) \[([\d.]+)–([\d.]+)\]", line)
            kind, size = line.split()[:2]
            rows.append((kind, size, [c[0] for c in cells]))
        elif line.strip():
            preamble.append(line.strip())
    if not backends:
        print("no --quick table on stdin")
        return 1
    for p in preamble:
        print(p + "  ")
    print()
    print("| type | m×n×k | " + " | ".join(backends) + " |")
    print("|---|---|" + "--:|" * len(backends))
    for kind, size, cells in rows:
        print(f"| {kind} | {size} | " + " | ".join(cells) + " |")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run")
    r.add_argument("--precision", choices=["float64", "float32"], default="float64")
    r.add_argument("--epochs", type=int, default=3)
    r.add_argument("--threads", type=int, default=os.cpu_count())
    r.add_argument("--batch", type=int, default=128)
    r.add_argument("--seed", type=int, default=42)
    r.add_argument("--warmup-steps", type=int, default=300)
    r.add_argument("--mnist-dir", default="data/mnist")
    r.add_argument("--init-from", default=None, help="a folder written by `mathdnn bench --export-run`: start from its parameters and batches")
    t = sub.add_parser("table")
    t.add_argument("results", nargs="+")
    sub.add_parser("quick-table")
    args = parser.parse_args()
    if args.command == "run":
        run(args)
        return 0
    if args.command == "quick-table":
        return quick_table(sys.stdin)
    return table(args.results)


if __name__ == "__main__":
    sys.exit(main())
