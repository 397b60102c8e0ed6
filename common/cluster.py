"""TensorFlow 1's own cluster runtime, the course era's way to train on several machines.

The flags are TF1's convention (``--ps-hosts``, ``--worker-hosts``, ``--job-name``,
``--task-index``); the labs that take them (the deep CNN, the ensemble) build the cluster program
themselves with ``tf.train.replica_device_setter``, ``SyncReplicasOptimizer`` and
``MonitoredTrainingSession`` or ``tf.device``. This module holds the plumbing: the cluster spec,
the gRPC server with timeouts, a check that names a task that does not answer, and the queues by
which the workers tell the parameter servers to exit.

TensorFlow's gRPC servers have no authentication: anyone who reaches a port can run ops in it.
Run a cluster only on a private network (the demo binds to 127.0.0.1).
"""

import argparse
import re
import socket
import time
from contextlib import contextmanager

from common.tf1 import tf


class ClusterError(RuntimeError):
    """A task does not answer, or the flags do not describe a cluster."""


def host_list(text):
    hosts = [host.strip() for host in text.split(",") if host.strip()]
    for host in hosts:
        name, _, port = host.rpartition(":")
        if not name or not port.isdigit() or not 0 < int(port) < 65536:
            raise argparse.ArgumentTypeError(f"{host!r} is not host:port")
    if not hosts:
        raise argparse.ArgumentTypeError("no host:port given")
    return hosts


def add_flags(parser, in_graph=False):
    """TF1's cluster flags: the hosts of every task and which task this process is."""
    group = parser.add_argument_group("cluster (TensorFlow's gRPC runtime; run it only on a private network)")
    if not in_graph:
        group.add_argument(
            "--ps-hosts",
            type=host_list,
            default=None,
            help="parameter servers, host:port,host:port (hold the variables)",
        )
    group.add_argument(
        "--worker-hosts",
        type=host_list,
        default=None,
        help="workers, host:port,host:port (task 0 is the chief)",
    )
    group.add_argument(
        "--job-name",
        choices=["worker"] if in_graph else ["ps", "worker"],
        default=None,
        help="this process's job",
    )
    group.add_argument(
        "--task-index", type=int, default=0, help="this process's task within its job (default 0)"
    )
    group.add_argument(
        "--startup-timeout",
        type=float,
        default=60.0,
        help="seconds to wait for every task to answer before giving up (default 60)",
    )
    group.add_argument(
        "--step-timeout",
        type=float,
        default=120.0,
        help="seconds one sess.run may take before the run stops with an error (a dead task; default 120)",
    )
    return group


def check_flags(parser, args, in_graph=False):
    """The flags describe one task of a cluster."""
    if args.worker_hosts is None or args.job_name is None or (not in_graph and args.ps_hosts is None):
        needed = "--worker-hosts and --job-name" if in_graph else "--ps-hosts, --worker-hosts and --job-name"
        parser.error(f"a cluster run needs {needed} (and --task-index)")
    tasks = len(args.ps_hosts) if args.job_name == "ps" else len(args.worker_hosts)
    if not 0 <= args.task_index < tasks:
        parser.error(f"--task-index {args.task_index} is not a task of the {tasks} {args.job_name} task(s)")


def spec(args):
    jobs = {"worker": args.worker_hosts}
    if getattr(args, "ps_hosts", None):
        jobs["ps"] = args.ps_hosts
    return tf.train.ClusterSpec(jobs)


def session_config(args, device_filters=None, timeout=True):
    """Every sess.run gives up after --step-timeout (a dead peer is an error, not a hang)."""
    return tf.ConfigProto(
        operation_timeout_in_ms=int(args.step_timeout * 1000) if timeout else 0,
        device_filters=device_filters or [],
        allow_soft_placement=True,
        intra_op_parallelism_threads=0,
        inter_op_parallelism_threads=1,
    )


def start_server(args, device_filters=None, timeout=True):
    """This process's gRPC server (its task of the cluster)."""
    return tf.train.Server(
        spec(args),
        job_name=args.job_name,
        task_index=args.task_index,
        config=session_config(args, device_filters, timeout),
        start=True,
    )


def wait_for_tasks(args, jobs=("ps", "worker"), log=print):
    """Wait until every task of ``jobs`` accepts a connection; name the first that does not."""
    deadline = time.monotonic() + args.startup_timeout
    for job in jobs:
        for index, host in enumerate(getattr(args, f"{job}_hosts", None) or []):
            while not answers(host):
                if time.monotonic() > deadline:
                    raise ClusterError(
                        f"{job} task {index} at {host} does not answer after "
                        f"{args.startup_timeout:g} s; start it, or check --{job}-hosts"
                    )
                time.sleep(0.5)
    log(f"cluster: every task answers ({', '.join(jobs)})")


def done_queue(args, job, index, finishers=None):
    """The queue on task ``index`` of ``job`` by which finishing processes say they are done: a
    serving task exits after one token per finisher (every worker, by default)."""
    with tf.device(f"/job:{job}/task:{index}"):
        return tf.FIFOQueue(
            finishers or len(args.worker_hosts),
            tf.int32,
            shared_name=f"done_{job}{index}",
            name=f"done_{job}{index}",
        )


def done_queues(args, job="ps", finishers=None):
    """The done queue of every task of ``job``."""
    return [done_queue(args, job, index, finishers) for index in range(len(getattr(args, f"{job}_hosts")))]


def serve_until_done(args, job="ps", finishers=None, log=print):
    """A task that only serves: a parameter server holds variables, an ensemble's worker holds
    its members' ops. It exits once every finisher has said it is done."""
    finishers = finishers or len(args.worker_hosts)
    host = getattr(args, f"{job}_hosts")[args.task_index]
    server = start_server(args, timeout=False)  # it waits as long as the training takes
    dequeue = done_queue(args, job, args.task_index, finishers).dequeue()  # only this task's ops
    log(f"{job} task {args.task_index} serving at {host}")
    config = tf.ConfigProto(device_filters=[f"/job:{job}/task:{args.task_index}"])
    wait = tf.RunOptions(timeout_in_ms=5000)
    # who may still say done: every worker (a ps), or the driving worker 0 (an ensemble's worker)
    clients = args.worker_hosts if job == "ps" else args.worker_hosts[:1]
    last_seen = time.monotonic()
    with tf.Session(server.target, config=config) as sess:
        done = 0
        while done < finishers:
            try:
                sess.run(dequeue, options=wait)
            except tf.errors.DeadlineExceededError:
                # no worker left (all killed or failed): exit rather than hold the port forever
                if any_answers(clients):
                    last_seen = time.monotonic()
                elif time.monotonic() - last_seen > args.startup_timeout:
                    raise ClusterError(
                        f"{job} task {args.task_index}: no client has answered for "
                        f"{args.startup_timeout:g} s; exiting (start the whole cluster again to resume)"
                    ) from None
                continue
            done += 1
            log(f"{job} task {args.task_index}: {done} of {finishers} done")
    log(f"{job} task {args.task_index}: every client is done; exiting")


def answers(host):
    """Whether ``host:port`` accepts a connection now."""
    name, _, port = host.rpartition(":")
    try:
        with socket.create_connection((name, int(port)), timeout=2):
            return True
    except OSError:
        return False


def any_answers(hosts):
    return any(answers(host) for host in hosts)


def member_device(args, index):
    """In-graph replication: ensemble member ``index`` on worker ``index mod N``."""
    return f"/job:worker/task:{index % len(args.worker_hosts)}"


def wait_until_initialized(server, args, config, log=print):
    """A non-chief worker: wait (polling every half second) until the chief has initialized the
    variables. MonitoredTrainingSession would check every 30 s, while the chief trains alone."""
    uninitialized = tf.report_uninitialized_variables(tf.global_variables())  # not the local steps
    deadline = time.monotonic() + args.startup_timeout
    with tf.Session(server.target, config=config) as sess:
        while len(sess.run(uninitialized)):
            if time.monotonic() > deadline:
                raise ClusterError(
                    f"the chief (worker task 0 at {args.worker_hosts[0]}) has not initialized the "
                    f"model after {args.startup_timeout:g} s"
                )
            time.sleep(0.5)
    log("cluster: the chief has initialized the model")


@contextmanager
def errors_named(args):
    """TensorFlow's errors from a lost task (unavailable, timed out, aborted) as one line that
    names the task and says what to do."""
    lost = (
        tf.errors.UnavailableError,
        tf.errors.DeadlineExceededError,
        tf.errors.AbortedError,
        tf.errors.CancelledError,
    )
    try:
        yield
    except lost as exc:
        message = exc.message or str(exc)
        match = re.search(r"/job:(\w+)/replica:\d+/task:(\d+)", message)
        where = ""
        if match:
            job, index = match.group(1), int(match.group(2))
            hosts = getattr(args, f"{job}_hosts", None) or []
            where = f" ({job} task {index}" + (f" at {hosts[index]}" if index < len(hosts) else "") + ")"
        first = message.strip().splitlines()[0][:200] if message.strip() else type(exc).__name__
        raise ClusterError(
            f"the cluster lost a task{where}: {type(exc).__name__}: {first}. Restart the missing "
            "task (a worker rejoins), or the whole cluster (it resumes from the chief's last checkpoint)"
        ) from None
