"""An emulated network on one Linux machine: a network namespace per task, joined to a bridge
by veth pairs, each link shaped by ``tc``'s token bucket filter (``tbf``) to a bandwidth.

The bridge lives in a namespace of its own, so every address and every link is inside
namespaces this module made, and deleting them removes the links, the bridge and the qdiscs
with them; the machine's own namespace sees no new interface and no new route. ``tbf`` shapes
what leaves an interface, so each link is shaped at both ends: the task's side (what the task
sends) and the bridge's side (what it receives). The namespaces are named ``zta<pid>-<task>``,
and only those this object made are deleted (also when the process is interrupted: use it as a
context manager). Needs root and iproute2 (``ip``, ``tc``).
"""

import json
import os
import shutil
import subprocess

SUBNET = "10.213.0"  # private addresses, only inside the namespaces
HZ = 250  # the kernel's usual timer rate; tbf's burst must hold a tick's worth of bytes


class NetworkError(RuntimeError):
    """The emulated network cannot be built or measured here (one line says why)."""


def missing_requirements():
    """Why this machine cannot build the network, or None."""
    if os.geteuid() != 0:
        return "network namespaces and tc need root; run it as root (e.g. in a container or VM you own)"
    for tool in ("ip", "tc"):
        if shutil.which(tool) is None:
            return f"`{tool}` is missing: install Debian's iproute2 (`make setup` does, run as root)"
    return None


def run(argv):
    process = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    if process.returncode != 0:
        reason = (process.stderr.strip() or process.stdout.strip()).splitlines()[-1:] or ["no output"]
        raise NetworkError(f"`{' '.join(argv)}` failed: {reason[0]}")
    return process.stdout


def namespaces():
    """The names of every network namespace on the machine."""
    return [line.split()[0] for line in run(["ip", "netns", "list"]).splitlines() if line.strip()]


def tbf_burst(rate_bits):
    """Bytes a token bucket must hold so that ``tbf`` reaches ``rate_bits``: two timer ticks'
    worth, and never less than 64 KiB (a GSO packet)."""
    return max(64 * 1024, int(rate_bits / 8 / HZ * 2))


class EmulatedNetwork:
    """``tasks`` (names such as ps0, worker0) each in a namespace, on one bridge."""

    def __init__(self, tasks, prefix=None):
        self.tasks = list(tasks)
        self.prefix = prefix or f"zta{os.getpid()}"
        self.bridge_ns = f"{self.prefix}-br"
        self.created = []  # the namespaces this object made, in order

    def namespace(self, task):
        return f"{self.prefix}-{task}"

    def address(self, task):
        return f"{SUBNET}.{self.tasks.index(task) + 1}"

    def bridge_port(self, task):
        return f"v{self.tasks.index(task)}"  # the link's end on the bridge (names <= 15 chars)

    def __enter__(self):
        reason = missing_requirements()
        if reason:
            raise NetworkError(reason)
        try:
            self._build()
        except BaseException:
            self.remove()
            raise
        return self

    def __exit__(self, *exc_info):
        self.remove()

    def _add_namespace(self, name):
        if name in namespaces():
            raise NetworkError(
                f"network namespace {name} exists already (not made by this run); remove it first"
            )
        run(["ip", "netns", "add", name])
        self.created.append(name)
        run(["ip", "-n", name, "link", "set", "lo", "up"])

    def _build(self):
        self._add_namespace(self.bridge_ns)
        run(["ip", "-n", self.bridge_ns, "link", "add", "br0", "type", "bridge"])
        run(["ip", "-n", self.bridge_ns, "link", "set", "br0", "up"])
        for task in self.tasks:
            ns, port = self.namespace(task), self.bridge_port(task)
            self._add_namespace(ns)
            # both ends made straight into their namespaces: never an interface in the machine's own
            run(
                [
                    "ip",
                    "link",
                    "add",
                    "eth0",
                    "netns",
                    ns,
                    "type",
                    "veth",
                    "peer",
                    "name",
                    port,
                    "netns",
                    self.bridge_ns,
                ]
            )
            run(["ip", "-n", self.bridge_ns, "link", "set", port, "master", "br0"])
            run(["ip", "-n", self.bridge_ns, "link", "set", port, "up"])
            run(["ip", "-n", ns, "addr", "add", f"{self.address(task)}/24", "dev", "eth0"])
            run(["ip", "-n", ns, "link", "set", "eth0", "up"])

    def limit(self, rate_bits):
        """Shape every link to ``rate_bits`` per second in each direction (None: unshaped)."""
        for task in self.tasks:
            for ns, device in ((self.namespace(task), "eth0"), (self.bridge_ns, self.bridge_port(task))):
                if rate_bits is None:
                    subprocess.run(
                        ["tc", "-n", ns, "qdisc", "del", "dev", device, "root"], capture_output=True
                    )
                else:
                    burst = str(tbf_burst(rate_bits))
                    run(
                        ["tc", "-n", ns, "qdisc", "replace", "dev", device, "root", "tbf"]
                        + ["rate", f"{int(rate_bits)}bit", "burst", burst, "latency", "50ms"]
                    )

    def bytes_through(self, task):
        """Bytes that have crossed ``task``'s link, both directions, read off the bridge end's
        interface counters."""
        [link] = json.loads(
            run(["ip", "-n", self.bridge_ns, "-s", "-j", "link", "show", "dev", self.bridge_port(task)])
        )
        stats = link["stats64"]
        return stats["rx"]["bytes"] + stats["tx"]["bytes"]

    def exec_argv(self, task, argv):
        """``argv`` run inside ``task``'s namespace."""
        return ["ip", "netns", "exec", self.namespace(task), *argv]

    def remove(self):
        """Delete the namespaces this object made (their links, bridge and qdiscs go with them)."""
        for name in reversed(self.created):
            subprocess.run(["ip", "netns", "del", name], capture_output=True, timeout=60)
        left = set(self.created) & set(namespaces())
        self.created = []
        if left:
            raise NetworkError(
                f"could not delete network namespaces {', '.join(sorted(left))}; `ip netns del` them"
            )
