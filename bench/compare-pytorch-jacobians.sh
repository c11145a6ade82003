#!/usr/bin/env bash
# Times mathdnn's structured Jacobians, per-sample gradients and forward pass (`MathDnn.Bench --jacobians`) and the same
# operations in PyTorch (bench/compare_pytorch_jacobians.py) on the same networks, weights and inputs, and prints the
# markdown table: operation | network | precision | mathdnn (median) | PyTorch (median) | PyTorch / mathdnn speed-up,
# then every PyTorch method, mathdnn's allocations, the agreement of the values and the targets.
#
# Usage: bench/compare-pytorch-jacobians.sh [--threads N] [--rounds 3] [--precision float64|float32|both]
#                                           [--seconds 0.05] [--sweeps 3] [--networks 784-256-128-10,...] [--coretype NAME]
#                                           [--backends auto|managed|openblas[,...]] [--keep DIR] [--ops forward-1000,...]
# --rounds R runs both sides R times, alternating which goes first (odd rounds PyTorch, even rounds mathdnn), so a drift
# of this shared machine's speed favours neither; times are the median over the rounds of each round's median, the
# speed-up the median [min–max] of the per-round ratios PyTorch / mathdnn, PyTorch taking its fastest method each round.
# Within each round and side, every cell is timed in --sweeps passes over all cells of --seconds each, their batches
# pooled (so one busy moment of the machine hits a cell's median less); each cell also makes a few warm-up calls.
# Networks: Network.MultiClass 784-256-128-10, 784-1024-1024-10 and 64-64-32-10 (ReLU, softmax, seed 42). mathdnn writes
# their θ, 1000 inputs per input width (uniform in [0, 1]), labels and its results at those inputs
# (`--jacobians --export`); PyTorch loads them, so both compute the same numbers (the "Values" table is the check).
# --ops limits both sides to these operations (input-jacobian, parameter-jacobian, per-sample-norms, clipped-sum,
# batched-gradient, per-sample-gradients, forward-1000, forward-1).
# --keep DIR keeps the exported data and every JSON document in DIR (the table: compare_pytorch_jacobians.py table DIR/*.json).
# --backends runs mathdnn once per GEMM backend (MATHDNN_BACKEND; default auto: OpenBLAS when it loads), each its own rows.
# Threads: KernelSettings.MaxThreads = N and torch.set_num_threads(N) (OpenBLAS and OpenMP limited to N in PyTorch).
# OpenBLAS: Debian's 0.3.21 may misdetect this machine's CPU; when OPENBLAS_CORETYPE is unset, PyTorch runs with
# OPENBLAS_CORETYPE=SkylakeX (AVX-512 kernels); a value already set is kept; --coretype NAME sets it for PyTorch.
# Without `import torch` (in /usr/bin/python3 or $TORCH_PYTHON) it says so and prints mathdnn's column alone.
set -euo pipefail
cd "$(dirname "$0")/.."

threads=$(nproc 2>/dev/null || echo 2)
rounds=3
precision=both
seconds=0.05
sweeps=3
networks=
coretype=
backends=auto
keep=
ops=
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) threads="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --precision) precision="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --sweeps) sweeps="$2"; shift 2 ;;
    --networks) networks="$2"; shift 2 ;;
    --coretype) coretype="$2"; shift 2 ;;
    --backends) backends="$2"; shift 2 ;;
    --keep) keep="$2"; shift 2 ;;
    --ops) ops="$2"; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "compare-pytorch-jacobians: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$precision" in
  both|float64|float32) ;;
  *) echo "compare-pytorch-jacobians: --precision $precision: expected float64, float32 or both" >&2; exit 2 ;;
esac
net_args=()
[ -n "$networks" ] && net_args=(--networks "$networks")
op_args=()
[ -n "$ops" ] && op_args=(--ops "$ops")

if [ -n "$keep" ]; then
  mkdir -p "$keep"
  work=$(cd "$keep" && pwd)
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi

echo "compare-pytorch-jacobians: building bench/MathDnn.Bench (Release)" >&2
dotnet build bench/MathDnn.Bench -c Release -nologo -v quiet >&2
bench=(dotnet run -c Release --no-build --project bench/MathDnn.Bench --)

torch=no
torch_python="${TORCH_PYTHON:-/usr/bin/python3}"
if "$torch_python" -c "import torch, numpy" >/dev/null 2>&1; then
  torch=yes
else
  echo "compare-pytorch-jacobians: PyTorch is not available ($torch_python -c 'import torch, numpy' fails): mathdnn's figures only." >&2
fi

cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -1)
echo "CPU: ${cpu:-unknown} ($(nproc) processors); $threads thread(s), $rounds round(s), $sweeps sweep(s) of $seconds s per cell and round"
torch_env=()
if [ "$torch" = yes ]; then
  if [ -n "$coretype" ]; then
    torch_env=(OPENBLAS_CORETYPE="$coretype")
    echo "OpenBLAS for PyTorch: OPENBLAS_CORETYPE=$coretype (--coretype)"
  elif [ -z "${OPENBLAS_CORETYPE:-}" ]; then
    torch_env=(OPENBLAS_CORETYPE=SkylakeX)
    echo "OpenBLAS for PyTorch: OPENBLAS_CORETYPE was unset; set it to SkylakeX for the PyTorch side (Debian's OpenBLAS 0.3.21 may misdetect Zen 5; SkylakeX gives AVX-512 kernels)"
  else
    echo "OpenBLAS for PyTorch: OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE from the environment, kept (for both sides)"
  fi
fi

echo "compare-pytorch-jacobians: exporting θ, inputs and mathdnn's results" >&2
"${bench[@]}" --jacobians --export "$work/data" --no-timing --threads "$threads" "${net_args[@]}" >&2
if [ "$torch" = yes ]; then
  echo "compare-pytorch-jacobians: checking PyTorch's values against mathdnn's" >&2
  env "${torch_env[@]}" "$torch_python" bench/compare_pytorch_jacobians.py check --data "$work/data" --threads "$threads" > "$work/check.json"
fi

ours() { # round
  for b in ${backends//,/ }; do
    echo "compare-pytorch-jacobians: round $1/$rounds: mathdnn, MATHDNN_BACKEND=$b" >&2
    MATHDNN_BACKEND="$b" "${bench[@]}" --jacobians --json --threads "$threads" --seconds "$seconds" --rounds "$sweeps" \
      --precision "$precision" "${net_args[@]}" "${op_args[@]}" > "$work/mathdnn-$b-r$1.json"
  done
}
theirs() { # round
  [ "$torch" = yes ] || return 0
  echo "compare-pytorch-jacobians: round $1/$rounds: PyTorch" >&2
  env "${torch_env[@]}" "$torch_python" bench/compare_pytorch_jacobians.py run --data "$work/data" --threads "$threads" \
    --seconds "$seconds" --rounds "$sweeps" --precision "$precision" "${net_args[@]}" "${op_args[@]}" > "$work/pytorch-r$1.json"
}
for r in $(seq 1 "$rounds"); do
  if [ $((r % 2)) -eq 1 ]; then theirs "$r" 2>/dev/null; ours "$r"; else ours "$r"; theirs "$r" 2>/dev/null; fi
done

python=/usr/bin/python3
[ -x "$python" ] || python=python3
echo
"$python" bench/compare_pytorch_jacobians.py table "$work"/*.json
