"""What a figure was measured on: library versions, kernels, CPU, commit and date.

The last digits of a result change with the TensorFlow build, the oneDNN switch and the CPU's
vector instructions, so every ``result.json`` and ``results/reproduce.json`` carries this record.
"""

import functools
import os
import platform
import subprocess
import time
from importlib import metadata
from pathlib import Path

from common import lock

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def cpu_model() -> str:
    """The CPU's marketing name from /proc/cpuinfo (Linux), else what ``platform`` knows."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def vector_isa() -> str:
    """The widest x86 vector extension the CPU offers: AVX-512, AVX2, AVX or none known."""
    try:
        flags = next(
            (
                line.split(":", 1)[1].split()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("flags")
            ),
            [],
        )
    except OSError:
        return "unknown"
    if "avx512f" in flags:
        return "AVX-512"
    for name, flag in (("AVX2", "avx2"), ("AVX", "avx")):
        if flag in flags:
            return name
    return "none of AVX/AVX2/AVX-512" if flags else "unknown"


def onednn_enabled() -> bool:
    """Whether TensorFlow runs its oneDNN kernels in this process (the switch and the CPU)."""
    from common.tf1 import tf

    tf.get_default_graph()  # loads TensorFlow the way the labs do: switches set, chatter hidden
    from tensorflow.python.util import _pywrap_util_port

    return bool(_pywrap_util_port.IsMklEnabled())


def git_commit() -> dict:
    """The project's commit and whether the working tree differs from it (None outside git)."""

    def git(*args):
        return subprocess.run(["git", *args], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=10)

    try:
        head = git("rev-parse", "HEAD")
        if head.returncode != 0:
            return {"commit": None, "dirty": None}
        status = git("status", "--porcelain", "--untracked-files=no")
        return {"commit": head.stdout.strip(), "dirty": bool(status.stdout.strip())}
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}


def package_version(name: str):
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


@functools.lru_cache(maxsize=1)
def _static_record() -> dict:
    tensorflow = package_version("tensorflow-cpu") or package_version("tensorflow")
    return {
        "tensorflow": tensorflow,
        "tf_keras": package_version("tf-keras") or package_version("tf_keras"),
        "numpy": package_version("numpy"),
        "python": platform.python_version(),
        "onednn": onednn_enabled(),
        "cpu": cpu_model(),
        "vector_isa": vector_isa(),
        "cores": os.cpu_count(),
        # which pinned set-up (requirements.lock), and whether this Python has exactly it
        "lock_digest": lock.digest(),
        "lock_matches": lock.matches(),
        **git_commit(),
    }


def record() -> dict:
    """The environment of this process, with the current date and time."""
    return {**_static_record(), "date": time.strftime("%Y-%m-%d %H:%M:%S %z")}


def describe(env: dict) -> str:
    """One line for people: CPU, ISA, cores, kernels, TensorFlow, commit."""
    kernels = "oneDNN" if env.get("onednn") else "Eigen"
    commit = (env.get("commit") or "no git")[:10] + ("+dirty" if env.get("dirty") else "")
    return (
        f"{env.get('cpu')} ({env.get('vector_isa')}, {env.get('cores')} cores), {kernels} "
        f"kernels, TensorFlow {env.get('tensorflow')}, commit {commit}, {env.get('date')}"
    )


if __name__ == "__main__":
    print(describe(record()))
