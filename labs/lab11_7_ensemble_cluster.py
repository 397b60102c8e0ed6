"""Lab 11-7 (beyond the original's 11-5): lab 11-5's ensemble on TensorFlow's cluster runtime.

In-graph replication: worker 0 runs lab 11-5's program (imported from it, not copied) and places
member m on worker m mod N; the other workers only serve their members' variables and ops until
worker 0 says it is done. ``make cluster-demo MODE=ensemble`` starts 2 workers on this machine.
The run folder is lab 11-5's (``logs/lab11-ensemble/``), beside its one-process runs.
"""

from common import cluster
from common.lab import main_guard
from labs.lab11_5_mnist_cnn_ensemble_layers import build_parser, train


def main(argv=None):
    parser = build_parser()
    cluster.add_flags(parser, in_graph=True)
    parser.run_name_suffix = lambda args: f"-workers{len(args.worker_hosts)}"  # the same at every restart
    args = parser.parse_args(argv)
    cluster.check_flags(parser, args, in_graph=True)
    with cluster.errors_named(args):  # a lost task: one line naming it, not a traceback
        if args.task_index > 0:  # this worker holds members; worker 0 drives them
            cluster.serve_until_done(args, "worker", finishers=1)
            return None
        server = cluster.start_server(args)
        cluster.wait_for_tasks(args, jobs=("worker",))
        return train(
            args,
            target=server.target,
            config=cluster.session_config(args),
            member_device=lambda m: cluster.member_device(args, m),
            finished=lambda sess: tell_the_workers_done(args, sess),
        )


def tell_the_workers_done(args, sess):
    """The other workers exit once this program is done with them."""
    done = [
        cluster.done_queue(args, "worker", task, finishers=1) for task in range(1, len(args.worker_hosts))
    ]
    sess.run([queue.enqueue(1) for queue in done])


if __name__ == "__main__":
    main_guard(main)
