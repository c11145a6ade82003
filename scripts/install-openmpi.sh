#!/usr/bin/env bash
# Installs Open MPI from Debian's packages (openmpi-bin, libopenmpi-dev: Open MPI 4.1 on Debian 12) when mpirun is
# missing, for the multi-process tests (tests/MathDnn.Tests/Distributed/MpiRunTests.cs). Does nothing when mpirun is on
# the PATH. Run by .ci/run, and by those tests themselves on a machine without mpirun. Exits non-zero when it cannot
# install (no apt-get, not root and no sudo, no network).
set -uo pipefail
command -v mpirun >/dev/null 2>&1 && exit 0
command -v apt-get >/dev/null 2>&1 || { echo "install-openmpi: no apt-get here; install Open MPI 4.x (mpirun, libmpi.so.40) yourself." >&2; exit 1; }
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "install-openmpi: not root and no sudo: run apt-get install openmpi-bin libopenmpi-dev as root." >&2; exit 1; }
  sudo="sudo -n"
fi
echo "install-openmpi: installing openmpi-bin and libopenmpi-dev with apt-get..." >&2
$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq openmpi-bin libopenmpi-dev >/dev/null \
  || { echo "install-openmpi: apt-get could not install openmpi-bin libopenmpi-dev." >&2; exit 1; }
command -v mpirun >/dev/null 2>&1
