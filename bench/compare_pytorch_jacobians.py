#!/usr/bin/env python3
"""The operations of `MathDnn.Bench --jacobians` in PyTorch, their check against mathdnn's values, and the markdown table.

Three uses (bench/compare-pytorch-jacobians.sh calls all three):

  compare_pytorch_jacobians.py run --data DIR --threads N --seconds S [--rounds R] [--precision float64|float32|both]
      loads DIR/manifest.json (written by `dotnet run -c Release --project bench/MathDnn.Bench -- --jacobians --export DIR`):
      the same θ, the same inputs and labels; builds the same networks (nn.Linear, ReLU, softmax last) in float64 and
      float32 and times the same operations; prints one JSON document (cells of op, method, network, precision,
      median_s, min_s, max_s). Needs torch and numpy.

  compare_pytorch_jacobians.py check --data DIR [--threads N]
      computes every operation once with every method and prints, as JSON, the largest absolute difference from
      mathdnn's results in DIR (float64 against mathdnn's float64, float32 against its float32) and the largest |value|.

  compare_pytorch_jacobians.py table RESULT.json...
      the markdown tables of mathdnn's and PyTorch's documents (the round of each: its "round" key or the name's -rN.json)
      and of a check document. Standard library only.

The PyTorch methods (torch 1.13 without torch.func; functorch is used when it imports):
  - input-jacobian: torch.autograd.functional.jacobian(f, x, vectorize=True) with f(x) = softmax(model(x)); and
    functorch.jacrev(f)(x);
  - parameter-jacobian: the same two on θ ↦ softmax(N(x; θ)), θ flat in mathdnn's order (per layer W row-major, then b)
    and sliced into the F.linear calls, so the result is mathdnn's m_p × |θ| matrix;
  - per-sample-norms, clipped-sum, per-sample-gradients (batch 128, cross-entropy of softmax, summed): the outer-product
    trick of Opacus done by hand, no hooks: one forward keeping each layer's input a_i and pre-activation z, one
    torch.autograd.grad of the summed loss for the δ = ∂loss/∂z of every layer (row i is sample i's, the loss being a sum),
    then ‖g_i‖² = Σ_layers ‖δ_i‖²(‖a_i‖² + 1), the clipped sum (s·δ)ᵀa and Σ s·δ with s_i = min(1, c/‖g_i‖), and the
    materialised g_i = δ_i ⊗ a_i, δ_i (into a fresh tensor, and into one allocated once); and functorch.vmap(functorch.grad(per-sample loss)) (materialises every g_i,
    then takes norms / the clipped sum), left out where 128 × |θ| exceeds 64 Mi entries (784-1024-1024-10), as mathdnn's
    materialised per-sample gradients are, and by default timed only where 128 × |θ| ≤ 4 Mi entries (--vmap-limit):
    on 784-256-128-10 it is three orders of magnitude slower than the trick;
  - batched-gradient: torch.autograd.grad of F.cross_entropy(logits, labels, reduction="sum") for all parameters;
  - forward-1000, forward-1: softmax(model(X)) under torch.no_grad().
Timing, as the C# side: two warm-up calls, then batches of at least 1 ms of calls for --seconds (at least 3 batches);
the median time per call over the batches, with the fastest and the slowest; --rounds R sweeps every cell R times in the
process and pools the batches (warm-up in the first sweep only, at least 3 batches in all).
"""
import argparse
import json
import math
import os
import sys
import time

PER_SAMPLE_LIMIT = 64 << 20  # entries of a materialised 128 × |θ|, as JacobianTimings.PerSampleLimit
# functorch.vmap(grad) is timed only up to this many entries of 128 × |θ| by default (64-64-32-10): on 784-256-128-10 it
# took 1.4–2.5 s a call in float64 (0.3–0.6 s in float32) against 1.5 ms for the outer-product trick's norms, and would
# take most of the script's time budget. --vmap-limit raises it.
VMAP_LIMIT = 4 << 20


def blas_info():
    """Torch's BLAS setting, the OpenBLAS library it loaded and the core OpenBLAS chose (openblas_get_corename)."""
    import ctypes
    import re
    import torch
    match = re.search(r"BLAS_INFO=(\w+)", torch.__config__.show())
    torch.mm(torch.ones(2, 2), torch.ones(2, 2))
    libs, core = [], None
    try:
        with open("/proc/self/maps") as f:
            paths = sorted({line.split()[-1] for line in f if "blas" in line.split()[-1].lower()})
        libs = [os.path.basename(p) for p in paths if "lapack" not in os.path.basename(p)]
        for p in paths:
            try:
                lib = ctypes.CDLL(p)
                fn = lib.openblas_get_corename
                fn.restype = ctypes.c_char_p
                core = fn().decode()
                break
            except (OSError, AttributeError):
                continue
    except OSError:
        pass
    return {"blas_info": match.group(1) if match else "?", "blas_libraries": libs, "openblas_core": core,
            "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE")}


def load(data, precision_names):
    """The manifest and, per network, θ, inputs, labels as torch tensors in each precision."""
    import numpy as np
    import torch
    with open(os.path.join(data, "manifest.json")) as f:
        manifest = json.load(f)
    nets = []
    for n in manifest["networks"]:
        theta = np.fromfile(os.path.join(data, n["theta"]), dtype="<f8")
        if theta.size != n["parameters"]:
            sys.exit(f"compare_pytorch_jacobians: {n['theta']} holds {theta.size} values, the manifest says {n['parameters']}")
        m0 = n["sizes"][0]
        x = np.fromfile(os.path.join(data, n["inputs"]), dtype="<f8").reshape(manifest["forward_rows"], m0)
        y = np.fromfile(os.path.join(data, n["labels"]), dtype="<i4").astype("int64")
        nets.append({"info": n, "theta": torch.from_numpy(theta), "x": torch.from_numpy(x), "y": torch.from_numpy(y)})
    return manifest, nets


class Net:
    """One network in one precision: the nn.Sequential with mathdnn's θ, and the flat-θ function for the parameter Jacobian."""

    def __init__(self, net, dtype, batch):
        import torch
        from torch import nn
        info = net["info"]
        self.name = info["name"]
        self.dtype = dtype
        self.layers = info["layers"]
        self.clip = info["clip"]
        self.theta = net["theta"].to(dtype).clone()
        mods = []
        for i, l in enumerate(self.layers):
            lin = nn.Linear(l["in"], l["out"]).to(dtype)
            with torch.no_grad():
                lin.weight.copy_(self.w(self.theta, i))
                lin.bias.copy_(self.b(self.theta, i))
            mods.append(lin)
            if i < len(self.layers) - 1:
                mods.append(nn.ReLU())
        self.model = nn.Sequential(*mods)
        self.linears = [m for m in mods if isinstance(m, nn.Linear)]
        self.params = [p for lin in self.linears for p in (lin.weight, lin.bias)]  # mathdnn's θ order
        self.x_all = net["x"].to(dtype)
        self.x1 = self.x_all[0].clone()
        self.xb = self.x_all[:batch].clone()
        self.yb = net["y"][:batch].clone()
        self.count = self.theta.numel()

    def w(self, theta, i):
        l = self.layers[i]
        return theta[l["weight_offset"]:l["weight_offset"] + l["out"] * l["in"]].view(l["out"], l["in"])

    def b(self, theta, i):
        l = self.layers[i]
        return theta[l["bias_offset"]:l["bias_offset"] + l["out"]]

    def f(self, x):
        return self.model(x).softmax(-1)

    def f_theta(self, theta):
        import torch.nn.functional as F
        a = self.x1
        for i in range(len(self.layers)):
            a = F.linear(a, self.w(theta, i), self.b(theta, i))
            if i < len(self.layers) - 1:
                a = a.relu()
        return a.softmax(-1)

    # ---- per-sample gradients by the outer-product trick ----

    def deltas(self):
        """The inputs a of every layer and δ = ∂(Σ_i loss_i)/∂z of its pre-activations z (row i: sample i)."""
        import torch
        import torch.nn.functional as F
        acts, zs = [], []
        a = self.xb
        for i, lin in enumerate(self.linears):
            acts.append(a)
            z = F.linear(a, lin.weight, lin.bias)
            zs.append(z)
            a = z.relu() if i < len(self.linears) - 1 else z
        loss = F.cross_entropy(a, self.yb, reduction="sum")
        return acts, torch.autograd.grad(loss, zs)

    def norms_trick(self):
        acts, ds = self.deltas()
        sq = 0
        for a, d in zip(acts, ds):
            sq = sq + d.square().sum(1) * (a.square().sum(1) + 1)
        return sq.sqrt()

    def clipped_trick(self):
        import torch
        acts, ds = self.deltas()
        sq = 0
        for a, d in zip(acts, ds):
            sq = sq + d.square().sum(1) * (a.square().sum(1) + 1)
        norms = sq.sqrt()
        s = torch.clamp(self.clip / norms, max=1.0)
        out = []
        for a, d in zip(acts, ds):
            sd = d * s[:, None]
            out += [(sd.t() @ a).reshape(-1), sd.sum(0)]
        return torch.cat(out), norms

    def per_sample_trick(self, out=None):
        import torch
        acts, ds = self.deltas()
        k = self.xb.shape[0]
        if out is None:  # written in place, in θ order: per layer δ_i ⊗ a_i, then δ_i
            out = torch.empty(k, self.count, dtype=self.dtype)
        with torch.no_grad():
            for l, a, d in zip(self.layers, acts, ds):
                w, b = l["weight_offset"], l["bias_offset"]
                torch.mul(d[:, :, None], a[:, None, :], out=out[:, w:w + l["out"] * l["in"]].view(k, l["out"], l["in"]))
                out[:, b:b + l["out"]] = d
        return out

    # ---- functorch ----

    def vmap_grads(self):
        import torch
        import torch.nn.functional as F
        from functorch import grad, vmap

        def loss(theta, x, y):
            a = x
            for i in range(len(self.layers)):
                a = F.linear(a, self.w(theta, i), self.b(theta, i))
                if i < len(self.layers) - 1:
                    a = a.relu()
            return F.cross_entropy(a.unsqueeze(0), y.unsqueeze(0), reduction="sum")
        return vmap(grad(loss), in_dims=(None, 0, 0))(self.theta, self.xb, self.yb)

    def norms_vmap(self):
        return self.vmap_grads().norm(dim=1)

    def clipped_vmap(self):
        import torch
        g = self.vmap_grads()
        norms = g.norm(dim=1)
        s = torch.clamp(self.clip / norms, max=1.0)
        return (g * s[:, None]).sum(0), norms

    def batched_gradient(self):
        import torch
        import torch.nn.functional as F
        loss = F.cross_entropy(self.model(self.xb), self.yb, reduction="sum")
        return torch.cat([g.reshape(-1) for g in torch.autograd.grad(loss, self.params)])


def methods(net, have_functorch, vmap_limit=VMAP_LIMIT):
    """(op, method, call) for one network in one precision; each call returns the result to check."""
    import torch
    from torch.autograd.functional import jacobian
    theta = net.theta
    out = [
        ("input-jacobian", "autograd.functional.jacobian(vectorize=True)", lambda: jacobian(net.f, net.x1, vectorize=True)),
        ("parameter-jacobian", "autograd.functional.jacobian(vectorize=True)", lambda: jacobian(net.f_theta, theta, vectorize=True)),
        ("per-sample-norms", "outer-product trick by hand", net.norms_trick),
        ("clipped-sum", "outer-product trick by hand", lambda: net.clipped_trick()[0]),
        ("batched-gradient", "autograd.grad (one batched backward)", net.batched_gradient),
    ]
    entries = net.xb.shape[0] * net.count
    if entries <= PER_SAMPLE_LIMIT:
        out.append(("per-sample-gradients", "outer-product trick by hand", net.per_sample_trick))
        # Into a tensor allocated once, as mathdnn's span form writes into the caller's span: a fresh 128 × |θ| tensor
        # costs its page faults on every call (glibc returns large blocks to the system).
        buffer = torch.empty(net.xb.shape[0], net.count, dtype=net.dtype)
        out.append(("per-sample-gradients", "outer-product trick by hand, preallocated out", lambda: net.per_sample_trick(buffer)))
    small = entries <= vmap_limit
    if have_functorch:
        from functorch import jacrev
        out.insert(1, ("input-jacobian", "functorch.jacrev", lambda: jacrev(net.f)(net.x1)))
        out.insert(3, ("parameter-jacobian", "functorch.jacrev", lambda: jacrev(net.f_theta)(theta)))
        if small:
            out.append(("per-sample-norms", "functorch.vmap(grad)", net.norms_vmap))
            out.append(("clipped-sum", "functorch.vmap(grad)", lambda: net.clipped_vmap()[0]))
            out.append(("per-sample-gradients", "functorch.vmap(grad)", net.vmap_grads))

    def forward(x):
        with torch.no_grad():
            return net.f(x)
    out.append(("forward-1000", "model(X) under no_grad", lambda: forward(net.x_all)))
    out.append(("forward-1", "model(x) under no_grad", lambda: forward(net.x1)))
    return out


def time_call(call, seconds, warm=True, min_batches=3):
    if warm:
        call()
    t = time.perf_counter()
    call()  # the second warm-up call sizes the batches
    one = time.perf_counter() - t
    reps = max(1, math.ceil(1e-3 / max(one, 1e-7)))
    times, calls = [], 2 if warm else 1
    start = time.perf_counter()
    while time.perf_counter() - start < seconds or len(times) < min_batches:
        t = time.perf_counter()
        for _ in range(reps):
            call()
        times.append((time.perf_counter() - t) / reps)
        calls += reps
    return times, calls


def median(values):
    v = sorted(values)
    n = len(v)
    return v[n // 2] if n % 2 else 0.5 * (v[n // 2 - 1] + v[n // 2])


def setup(threads):
    # As bench/compare_pytorch.py: a passive OpenMP wait and OpenBLAS limited to the same thread count (set before torch
    # and libgomp load; values already in the environment win).
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    os.environ.setdefault("OPENBLAS_NUM_THREADS", str(threads))
    import torch
    torch.set_num_threads(threads)
    try:
        import functorch  # noqa: F401
        return True
    except ImportError:
        return False


def dtypes(precision):
    import torch
    names = ["float64", "float32"] if precision == "both" else [precision]
    return [(n, torch.float64 if n == "float64" else torch.float32) for n in names]


def run(args):
    have_functorch = setup(args.threads)
    import torch
    manifest, nets = load(args.data, args.precision)
    work = []
    for net in nets:
        if args.networks and net["info"]["name"] not in args.networks.split(","):
            continue
        for pname, dtype in dtypes(args.precision):
            n = Net(net, dtype, manifest["batch"])
            work += [(n, pname, op, method, call) for op, method, call in methods(n, have_functorch, args.vmap_limit)
                     if not args.ops or op in args.ops.split(",")]
    # --rounds R sweeps R times and pools the batches (warm-up in the first sweep only; at least 3 batches in all).
    samples = {}
    min_batches = -(-3 // args.rounds)
    for r in range(args.rounds):
        for n, pname, op, method, call in work:
            times, calls = time_call(call, args.seconds, warm=r == 0, min_batches=min_batches)
            s = samples.setdefault((op, method, n.name, pname), {"times": [], "calls": 0})
            s["times"] += times
            s["calls"] += calls
            print(f"compare_pytorch_jacobians: {n.name} {pname} {op} ({method}): {median(times) * 1e3:.4f} ms", file=sys.stderr)
    cells = [{"op": op, "method": method, "network": net, "precision": pname, "median_s": median(s["times"]),
              "min_s": min(s["times"]), "max_s": max(s["times"]), "batches": len(s["times"]), "calls": s["calls"]}
             for (op, method, net, pname), s in samples.items()]
    doc = {"tool": "pytorch", "torch": torch.__version__, "functorch": have_functorch, "threads": args.threads,
           "seconds_per_cell": args.seconds, "cells": cells}
    doc.update(blas_info())
    print(json.dumps(doc, indent=1))
    return 0


def check(args):
    have_functorch = setup(args.threads)
    import numpy as np
    import torch
    manifest, nets = load(args.data, "both")
    rows = []
    for net in nets:
        results = net["info"]["results"]
        for pname, dtype in dtypes("both"):
            n = Net(net, dtype, manifest["batch"])
            suffix = "f64" if pname == "float64" else "f32"
            for op, method, call in methods(n, have_functorch, PER_SAMPLE_LIMIT):
                key = f"{op}.{suffix}"
                if key not in results:
                    continue
                r = results[key]
                ours = np.fromfile(os.path.join(args.data, r["file"]), dtype="<f8" if suffix == "f64" else "<f4").reshape(r["shape"])
                theirs = call().detach().reshape(r["shape"]).numpy()
                diff = float(np.max(np.abs(theirs.astype("float64") - ours.astype("float64"))))
                scale = float(np.max(np.abs(ours)))
                rows.append({"op": op, "method": method, "network": n.name, "precision": pname, "max_abs_diff": diff,
                             "max_abs_value": scale, "relative": diff / scale if scale > 0 else diff})
                print(f"compare_pytorch_jacobians: check {n.name} {pname} {op} ({method}): max |Δ| = {diff:.3g} (max |value| {scale:.3g})",
                      file=sys.stderr)
            del n
    print(json.dumps({"tool": "pytorch-check", "checks": rows}, indent=1))
    return 0


# ---- the table (standard library only) ----

LABELS = {
    "input-jacobian": "input Jacobian J_N(x), 1 sample",
    "parameter-jacobian": "parameter Jacobian, 1 sample",
    "per-sample-norms": "per-sample gradient norms, 128",
    "clipped-sum": "clipped gradient sum, 128",
    "batched-gradient": "one batched gradient, 128",
    "per-sample-gradients": "per-sample gradients (materialised), 128",
    "forward-1000": "forward 1000 samples",
    "forward-1": "forward 1 sample",
}


def fmt(s):
    if s >= 1:
        return f"{s:.2f} s"
    if s >= 1e-3:
        return f"{s * 1e3:.3g} ms" if s < 0.1 else f"{s * 1e3:.0f} ms"
    return f"{s * 1e6:.3g} µs"


def size(b):
    for unit, f in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if b >= f:
            return f"{b / f:.3g} {unit}"
    return f"{b} B"


def ratio_text(ratios):
    if not ratios:
        return "—"
    return f"{median(ratios):.2f}" + (f" [{min(ratios):.2f}–{max(ratios):.2f}]" if len(ratios) > 1 else "")


def table(paths):
    ours, theirs, checks, infos, kinds, backends = {}, {}, [], {}, set(), {}
    for p in paths:
        with open(p) as f:
            d = json.load(f)
        if d["tool"] == "pytorch-check":
            checks = d["checks"]
            continue
        import re
        found = re.search(r"-r(\d+)\.json$", p)
        rnd = d.get("round", int(found.group(1)) if found else 1)
        infos.setdefault(d["tool"], d)
        if d["tool"] == "mathdnn":
            kinds.add(d.get("backend_kind", "?"))
        for c in d["cells"]:
            if d["tool"] == "mathdnn":
                ours.setdefault((c["op"], c["api"], c["network"], c["precision"], d.get("backend_kind", "?")), {})[rnd] = c
            else:
                theirs.setdefault((c["op"], c["network"], c["precision"]), {}).setdefault(rnd, []).append(c)

    m = infos.get("mathdnn", {})
    t = infos.get("pytorch")
    for p in paths:
        with open(p) as f:
            d = json.load(f)
        if d["tool"] == "mathdnn":
            backends.setdefault(d.get("backend_kind", "?"), d.get("backend", "?"))
    for kind, text in sorted(backends.items()):
        print(f"mathdnn [{kind}]: {text}; managed kernel {m.get('managed_kernel', '?')}; {m.get('threads', '?')} thread(s)  ")
    # With one backend the API column names the API alone; with several, the backend follows in brackets.
    kind_of = {}
    for (op, api, net, prec, kind) in ours:
        kind_of[(op, f"{api} [{kind}]" if len(kinds) > 1 else api, net, prec)] = kind
    ours = {(op, f"{api} [{kind}]" if len(kinds) > 1 else api, net, prec): v for (op, api, net, prec, kind), v in ours.items()}
    if t:
        print(f"PyTorch {t['torch']} (functorch: {'yes' if t['functorch'] else 'no'}), BLAS_INFO={t['blas_info']}, "
              f"{', '.join(t['blas_libraries'])}, OpenBLAS core {t['openblas_core']} (OPENBLAS_CORETYPE={t['OPENBLAS_CORETYPE']}); "
              f"{t['threads']} thread(s)  ")
    else:
        print("PyTorch: not run  ")
    rounds = sorted({r for v in ours.values() for r in v})
    print(f"times per call: median over {len(rounds)} round(s) of each round's median; PyTorch: its fastest method in each round; "
          "speed-up: median [min–max] of the per-round ratios PyTorch / mathdnn (> 1: mathdnn faster)")
    print()
    print("| operation | network | precision | mathdnn (median) | PyTorch (median) | PyTorch / mathdnn speed-up | mathdnn API | PyTorch method |")
    print("|---|---|---|--:|--:|--:|---|---|")
    order = list(LABELS)
    nets = []
    for k in ours:
        if k[2] not in nets:
            nets.append(k[2])
    keys = sorted(ours, key=lambda k: (nets.index(k[2]), order.index(k[0]) if k[0] in order else 99, k[3] != "float64"))
    summary = {}
    for key in keys:
        op, api, net, prec = key
        runs = ours[key]
        mine = median([c["median_s"] for c in runs.values()])
        tr = theirs.get((op, net, prec), {})
        best = {r: min(cs, key=lambda c: c["median_s"]) for r, cs in tr.items()}
        ratios = [best[r]["median_s"] / runs[r]["median_s"] for r in runs if r in best]
        methods_used = sorted({c["method"] for c in best.values()})
        cells = [LABELS.get(op, op), net, prec, fmt(mine), fmt(median([c["median_s"] for c in best.values()])) if best else "—",
                 ratio_text(ratios), api, " / ".join(methods_used) if methods_used else "—"]
        print("| " + " | ".join(cells) + " |")
        summary[key] = (mine, ratios)

    # Every PyTorch method, for the record.
    if theirs:
        print()
        print("PyTorch, every method (median over the rounds of each round's median):")
        print()
        print("| operation | network | precision | method | PyTorch (median) |")
        print("|---|---|---|---|--:|")
        for (op, net, prec), tr in sorted(theirs.items(), key=lambda kv: (nets.index(kv[0][1]) if kv[0][1] in nets else 99,
                                                                          order.index(kv[0][0]) if kv[0][0] in order else 99,
                                                                          kv[0][2] != "float64")):
            by = {}
            for cs in tr.values():
                for c in cs:
                    by.setdefault(c["method"], []).append(c["median_s"])
            for method, ts in by.items():
                print(f"| {LABELS.get(op, op)} | {net} | {prec} | {method} | {fmt(median(ts))} |")

    # mathdnn's allocations.
    print()
    print("mathdnn's allocation per call (GC.GetAllocatedBytesForCurrentThread difference; all threads: GC.GetTotalAllocatedBytes(precise)), "
          "beside the size of the result (span forms write into the caller's span):")
    print()
    print("| operation | network | precision | mathdnn API | allocated | all threads | result |")
    print("|---|---|---|---|--:|--:|--:|")
    for key in keys:
        c = next(iter(ours[key].values()))
        print(f"| {LABELS.get(key[0], key[0])} | {key[2]} | {key[3]} | {key[1]} | {size(c['allocated_bytes'])} | "
              f"{size(c['allocated_bytes_all_threads'])} | {size(c['result_bytes'])} |")

    if checks:
        print()
        print("Values: PyTorch against mathdnn at the same θ and inputs (float64 against float64, float32 against float32):")
        print()
        print("| operation | network | precision | PyTorch method | max abs difference | max abs value | relative |")
        print("|---|---|---|---|--:|--:|--:|")
        for c in checks:
            print(f"| {LABELS.get(c['op'], c['op'])} | {c['network']} | {c['precision']} | {c['method']} | {c['max_abs_diff']:.3g} | "
                  f"{c['max_abs_value']:.3g} | {c['relative']:.3g} |")

    # The targets.
    print()
    print("Targets (mathdnn, from the medians above; some: met by some of the APIs listed):")
    print()

    # Per network, precision and backend; each rule lists every API of the operation.
    lines = []
    for net in nets:
        for kind in sorted(kinds):
            def cells(op, prec):
                return [(k[1].replace(f" [{kind}]", ""), v) for k, v in summary.items() if k[0] == op and k[2] == net and k[3] == prec and kind_of[k] == kind]

            def verdict(items, good, text):
                if not items:
                    return
                ok = all(good(v) for _, v in items)
                some = any(good(v) for _, v in items)
                mark = "ok  " if ok else ("some" if some else "MISS")
                lines.append(f"{mark} {net} {prec} [{kind}] {text}")
            for prec in ("float64", "float32"):
                for op, goal, label in (("input-jacobian", 5.0, "input Jacobian ≥ 5× faster than PyTorch"),
                                        ("parameter-jacobian", 2.0, "parameter Jacobian ≥ 2× faster than PyTorch"),
                                        ("forward-1000", 1.0, "forward 1000 ≥ 1.0× PyTorch's throughput")):
                    items = [(api, median(r)) for api, (_, r) in cells(op, prec) if r]
                    verdict(items, lambda v, g=goal: v >= g, f"{label}: " + ", ".join(f"{api} {v:.2f}×" for api, v in items))
                ref = cells("batched-gradient", prec)
                if ref:
                    t_ref = ref[0][1][0]
                    for op in ("per-sample-norms", "clipped-sum"):
                        items = [(api, v[0] / t_ref) for api, v in cells(op, prec)]
                        verdict(items, lambda q: q <= 2, f"{op} ≤ 2× one batched gradient ({fmt(t_ref)}): " +
                                ", ".join(f"{q:.2f}× ({fmt(q * t_ref)})" for _, q in items))
                items = [(api, v[0]) for api, v in cells("forward-1", prec)]
                verdict(items, lambda t: t <= 15e-6, "forward 1 sample ≤ 15 µs: " + ", ".join(f"{api} {fmt(t)}" for api, t in items))
            prec = "float32"
            for op in order:
                f64 = cells(op, "float64")
                items = [(api, min(v[0] for _, v in f64) / t[0]) for api, t in cells(op, "float32")] if f64 else []
                verdict(items, lambda q: q >= 1 / 1.05, f"{op} at least as fast as float64 (its fastest API): " +
                        ", ".join(f"{q:.2f}× ({fmt(min(v[0] for _, v in f64) / q)} vs {fmt(min(v[0] for _, v in f64))})" for _, q in items))
    for line in lines:
        print("    " + line)
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run")
    r.add_argument("--data", required=True, help="the folder of `MathDnn.Bench --jacobians --export`")
    r.add_argument("--threads", type=int, default=os.cpu_count())
    r.add_argument("--seconds", type=float, default=0.25, help="per cell and sweep")
    r.add_argument("--rounds", type=int, default=1, help="sweeps in this process, pooled")
    r.add_argument("--precision", choices=["float64", "float32", "both"], default="both")
    r.add_argument("--networks", default=None, help="comma-separated names, e.g. 784-256-128-10")
    r.add_argument("--ops", default=None, help="comma-separated operations, e.g. input-jacobian,forward-1000")
    r.add_argument("--vmap-limit", type=int, default=VMAP_LIMIT, help="time functorch.vmap(grad) only where 128 × |θ| is at most this")
    c = sub.add_parser("check")
    c.add_argument("--data", required=True)
    c.add_argument("--threads", type=int, default=os.cpu_count())
    t = sub.add_parser("table")
    t.add_argument("results", nargs="+")
    args = parser.parse_args()
    if args.command == "run":
        return run(args)
    if args.command == "check":
        return check(args)
    return table(args.results)


if __name__ == "__main__":
    sys.exit(main())
