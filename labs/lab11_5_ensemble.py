"""Lab 11-3: an ensemble of tf.layers CNNs (``make lab11-ensemble``).

N copies of the lab 11-4 ``Model`` class (2 by default, ``--models N``), each in its own
variable scope, train side by side on the same batches: Adam at 0.001, 20 epochs of batch 100.
The ensemble's prediction is the sum of the members' logits. Seed 003 reports model 0: 0.9945,
model 1: 0.9928, ensemble: 0.9947. TensorBoard shows one scope per model (cost, accuracy, weight
histograms) and a few misclassified test digits. Checkpoints every epoch: an interrupted run
resumes when the same command runs again.
"""
import numpy as np

from common import cli
from common.lab import main_guard, run_mnist_args
from common.tf1 import new_session, tf
from common.training import Model, add_summaries, write_images
from labs.lab11_4_mnist_cnn_layers import Model as CnnModel

LEARNING_RATE = 0.001
TRAINING_EPOCHS = 20
BATCH_SIZE = 100
NUM_MODELS = 2
MISCLASSIFIED_SHOWN = 10
REPORTED = {"members": [0.9945, 0.9928], "ensemble": 0.9947}


def build(hp):
    sess = new_session(parallel_models=hp.models)  # the members' ops run side by side
    models = [CnnModel(sess, f"model{m}", hp) for m in range(hp.models)]
    with tf.name_scope("ensemble"):
        logits_sum = tf.add_n([m.logits for m in models])  # the members' predictions summed
        correct = tf.equal(tf.argmax(logits_sum, 1), tf.argmax(models[0].Y, 1))
        accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
    summaries = tf.summary.merge([add_summaries(m.as_model(), scope=m.name) for m in models])
    ensemble = Model(x=[m.X for m in models], y=[m.Y for m in models],
                     cost=tf.stack([m.cost for m in models]),
                     train_op=tf.group(*[m.optimizer for m in models]),  # one step trains all
                     hypothesis=logits_sum, accuracy=accuracy,
                     train_feed={m.training: True for m in models}, summary_op=summaries,
                     session=sess)
    ensemble.members = models
    return ensemble


def report_members(sess, ensemble, data, trainer, log=print):
    """Each model's accuracy, the ensemble's, and the digits the ensemble gets wrong."""
    test_size = len(data.test.labels)
    predictions = np.zeros([test_size, 10])
    member_accuracies = []
    for m_idx, m in enumerate(ensemble.members):
        accuracy = m.get_accuracy(data.test.images, data.test.labels)
        member_accuracies.append(accuracy)
        log(f"{m_idx} Accuracy: {accuracy:.4f}")
        predictions += m.predict(data.test.images)
    predicted, labels = predictions.argmax(axis=1), data.test.labels.argmax(axis=1)
    ensemble_accuracy = float((predicted == labels).mean())
    log(f"Ensemble accuracy: {ensemble_accuracy:.4f}")
    wrong = np.flatnonzero(predicted != labels)
    write_images(trainer.writer, "misclassified", data.test.images[wrong[:MISCLASSIFIED_SHOWN]],
                 trainer.global_step)
    log(f"misclassified test digits: {len(wrong)} (the first {MISCLASSIFIED_SHOWN} are in "
        "TensorBoard's Images tab); label -> prediction: " +
        ", ".join(f"{labels[i]}->{predicted[i]}" for i in wrong[:MISCLASSIFIED_SHOWN]))
    return {"member_accuracies": member_accuracies, "ensemble_accuracy": ensemble_accuracy,
            "misclassified": len(wrong)}


def main(argv=None):
    parser = cli.build_parser("lab11-ensemble", __doc__, epochs=TRAINING_EPOCHS,
                              learning_rate=LEARNING_RATE, batch_size=BATCH_SIZE, resumable=True)
    parser.add_argument("--models", type=cli.positive_int, default=NUM_MODELS,
                        help=f"how many models to train side by side (default {NUM_MODELS})")
    args = parser.parse_args(argv)
    documented = (args.epochs, args.learning_rate, args.models) == (TRAINING_EPOCHS, LEARNING_RATE,
                                                                    NUM_MODELS)
    result = run_mnist_args(args, build, REPORTED["ensemble"] if documented else None,
                            report=report_members)
    if documented:
        print("reported:    " + ", ".join(f"model {i} {figure:.4f}"
                                           for i, figure in enumerate(REPORTED["members"])) +
              f", ensemble {REPORTED['ensemble']:.4f}")
        print("reproduced:  " + ", ".join(f"model {i} {figure:.4f}" for i, figure in
                                           enumerate(result.extra["member_accuracies"])) +
              f", ensemble {result.accuracy:.4f}")
    return result


if __name__ == "__main__":
    main_guard(main)
