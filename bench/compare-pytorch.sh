#!/usr/bin/env bash
# Runs the MNIST epoch scenario of `mathdnn bench` and the same scenario in PyTorch, in one go, and prints the markdown
# table of both throughputs, their ratio ours/PyTorch, both final test accuracies and both 512³ GEMM rates (the table of
# the README's "Performance" section: re-run this to regenerate it).
#
# Usage: bench/compare-pytorch.sh [--precision float64|float32|both] [--backends auto|managed|openblas[,...]]
#                                 [--epochs 3] [--threads <processors>] [--batch 128] [--seed 42] [--warmup-steps 300]
#                                 [--rounds 3] [--own-init] [--gemm] [--coretype NAME]
# --rounds R repeats the whole comparison R times, alternating which side runs first, and reports medians: samples/s
# the median over the rounds, ours / PyTorch the median of each round's ratio with its [min–max] (this 2-core VM's
# speed drifts by ±20 % within minutes, so one round decides little).
# Both sides start from the same parameters and see the same batches: mathdnn writes its initial θ and each epoch's
# sample order (`mathdnn bench --export-run`) and PyTorch loads them (--init-from), so their final test accuracies differ
# only by rounding (floating-point sums in another order). --own-init lets PyTorch draw its own (same family).
# PyTorch is given its OpenBLAS's best kernels: --coretype NAME sets OPENBLAS_CORETYPE for the PyTorch side; without it,
# when mathdnn's backend line says the OpenBLAS core is older than the CPU (OpenBlasCore.Mismatch, e.g. Debian's 0.3.21
# reporting "Prescott", or an OPENBLAS_CORETYPE=Haswell on an AVX-512 CPU), PyTorch runs with the core it names, and the
# script says so. mathdnn runs in the environment as it is (the default backend as users get it).
# --gemm also prints the GEMM table of `dotnet run -c Release --project bench/MathDnn.Bench -- --quick --seconds 1` as markdown
# (1 s per cell: at 0.2 s one busy moment could halve a median).
#
# Same network (784-256-128-10 ReLU, He-normal/Glorot-uniform initialisation, zero biases), loss (softmax + categorical
# cross-entropy, mean over the batch), optimizer (SGD, momentum 0.9 in PyTorch's convention, lr 0.01), batch size,
# epochs, warm-up and thread count (KernelSettings.MaxThreads / torch.set_num_threads) on the same data: MNIST from
# data/mnist (scripts/get-mnist.sh is run first when it is missing). mathdnn is built once, then run with
# `dotnet run -c Release --no-build --project src/MathDnn -- bench --json …`, once per precision and backend
# (MATHDNN_BACKEND). PyTorch runs with /usr/bin/python3 (or $TORCH_PYTHON) when `import torch` works there; otherwise
# the script says so, prints mathdnn's figures alone and exits 0.
set -euo pipefail
cd "$(dirname "$0")/.."

precision=both
backends=auto
epochs=3
threads=$(nproc 2>/dev/null || echo 2)
batch=128
seed=42
warmup=300
rounds=3
own_init=no
gemm=no
coretype=
while [ $# -gt 0 ]; do
  case "$1" in
    --precision) precision="$2"; shift 2 ;;
    --backends) backends="$2"; shift 2 ;;
    --epochs) epochs="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --batch) batch="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --warmup-steps) warmup="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --own-init) own_init=yes; shift ;;
    --gemm) gemm=yes; shift ;;
    --coretype) coretype="$2"; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "compare-pytorch: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$precision" in
  both) precisions="float64 float32" ;;
  float64|float32) precisions="$precision" ;;
  *) echo "compare-pytorch: --precision $precision: expected float64, float32 or both" >&2; exit 2 ;;
esac

mnist=data/mnist
if [ ! -e "$mnist/train-images-idx3-ubyte" ] && [ ! -e "$mnist/train-images-idx3-ubyte.gz" ]; then
  echo "compare-pytorch: MNIST is not in $mnist/; fetching it with scripts/get-mnist.sh" >&2
  scripts/get-mnist.sh "$mnist" >&2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "compare-pytorch: building mathdnn (Release)" >&2
dotnet build src/MathDnn -c Release -nologo -v quiet >&2

torch=no
torch_python="${TORCH_PYTHON:-/usr/bin/python3}"
if "$torch_python" -c "import torch, numpy" >/dev/null 2>&1; then
  torch=yes
else
  echo "compare-pytorch: PyTorch is not available ($torch_python -c 'import torch' fails): mathdnn's figures only." >&2
fi

torch_env=()
if [ "$torch" = yes ]; then
  if [ -z "$coretype" ]; then
    # The OPENBLAS_CORETYPE that mathdnn's backend line names when the loaded OpenBLAS runs on a core older than the CPU.
    coretype=$(dotnet run -c Release --no-build --project src/MathDnn -- train --data xor --epochs 1 2>/dev/null \
      | sed -n 's/.*OPENBLAS_CORETYPE=\([A-Za-z0-9]*\) gives it its best kernels.*/\1/p' | head -1)
    [ -n "$coretype" ] && echo "compare-pytorch: OpenBLAS's core here (${OPENBLAS_CORETYPE:-detected}) is older than the CPU: PyTorch runs with OPENBLAS_CORETYPE=$coretype, its best kernels" >&2
  else
    echo "compare-pytorch: PyTorch runs with OPENBLAS_CORETYPE=$coretype (--coretype)" >&2
  fi
  [ -n "$coretype" ] && torch_env=(OPENBLAS_CORETYPE="$coretype")
fi

init_from=()
if [ "$torch" = yes ] && [ "$own_init" = no ]; then
  echo "compare-pytorch: mathdnn bench --export-run (initial parameters and batch orders for PyTorch)" >&2
  dotnet run -c Release --no-build --project src/MathDnn -- bench --export-run "$work/start" --data mnist --mnist-dir "$mnist" \
    --epochs "$epochs" --batch "$batch" --seed "$seed" >&2
  init_from=(--init-from "$work/start")
fi

ours() { # precision backend round
  echo "compare-pytorch: round $3/$rounds: mathdnn bench, $1, MATHDNN_BACKEND=$2, $threads thread(s), $epochs epoch(s)" >&2
  MATHDNN_BACKEND="$2" dotnet run -c Release --no-build --project src/MathDnn -- bench --json --data mnist --mnist-dir "$mnist" \
    --precision "$1" --epochs "$epochs" --threads "$threads" --batch "$batch" --seed "$seed" --warmup-steps "$warmup" \
    > "$work/mathdnn-$1-$2-r$3.json"
}
theirs() { # precision round
  [ "$torch" = yes ] || return 0
  echo "compare-pytorch: round $2/$rounds: PyTorch, $1, $threads thread(s), $epochs epoch(s)" >&2
  env "${torch_env[@]}" "$torch_python" bench/compare_pytorch.py run --precision "$1" --epochs "$epochs" --threads "$threads" --batch "$batch" \
    --seed "$seed" --warmup-steps "$warmup" --mnist-dir "$mnist" "${init_from[@]}" > "$work/pytorch-$1-r$2.json"
}
for r in $(seq 1 "$rounds"); do
  for p in $precisions; do
    # Odd rounds run PyTorch first, even rounds mathdnn first, so a drift of the machine's speed favours neither side.
    if [ $((r % 2)) -eq 1 ]; then theirs "$p" "$r"; fi
    for b in ${backends//,/ }; do ours "$p" "$b" "$r"; done
    if [ $((r % 2)) -eq 0 ]; then theirs "$p" "$r"; fi
  done
done

python=/usr/bin/python3
[ -x "$python" ] || python=python3
"$python" bench/compare_pytorch.py table "$work"/*.json

if [ "$gemm" = yes ]; then
  echo "compare-pytorch: GEMM table (bench/MathDnn.Bench --quick)" >&2
  dotnet build bench/MathDnn.Bench -c Release -nologo -v quiet >&2
  echo
  dotnet run -c Release --no-build --project bench/MathDnn.Bench -- --quick --seconds 1 | "$python" bench/compare_pytorch.py quick-table
fi
