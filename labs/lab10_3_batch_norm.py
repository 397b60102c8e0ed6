"""Lab 10 (original series): batch normalization in a small MLP.

784-32-32-10 built with ``tf.compat.v1.layers.dense``, ReLU, Adam at 0.01, 10 epochs of batch 32,
once with ``tf.compat.v1.layers.batch_normalization`` before each ReLU and once without. Batch
norm normalizes with the batch's statistics in training (``training`` fed True) and with its
moving averages at test; those averages are updated by the UPDATE_OPS, which the train op
depends on. hunkim reports test accuracy 0.9737 with batch norm vs 0.9513 without.

Both nets train in one run, as sub-runs ``batch_norm`` and ``plain``, on the same batches.
"""
from common import cli
from common.lab import main_guard, run_mnist_args
from common.tf1 import tf
from common.training import Model, predict

LEARNING_RATE = 0.01
TRAINING_EPOCHS = 10
BATCH_SIZE = 32
HIDDEN = [32, 32]
NB_CLASSES = 10
REPORTED = {"batch_norm": 0.9737, "plain": 0.9513}


def build_with(batch_norm):
    def build(hp):
        X = tf.placeholder(tf.float32, [None, 784], name="X")
        Y = tf.placeholder(tf.float32, [None, NB_CLASSES], name="Y")
        training = tf.placeholder_with_default(False, shape=[], name="training")
        layer, activations = X, {}
        for i, units in enumerate(HIDDEN, start=1):
            with tf.variable_scope(f"layer{i}"):
                layer = tf.layers.dense(layer, units, kernel_initializer=tf.glorot_uniform_initializer())
                if batch_norm:
                    layer = tf.layers.batch_normalization(layer, training=training)
                layer = tf.nn.relu(layer)
                activations[f"layer{i}/relu"] = layer
        with tf.variable_scope("logits"):
            logits = tf.layers.dense(layer, NB_CLASSES, kernel_initializer=tf.glorot_uniform_initializer())
        with tf.name_scope("cost"):
            cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=logits, labels=Y))
        with tf.name_scope("train"):
            # the moving mean and variance are updated with every training step
            with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
                train = tf.train.AdamOptimizer(learning_rate=hp.learning_rate).minimize(cost)
        return Model(x=X, y=Y, cost=cost, train_op=train, hypothesis=logits,
                     activations=activations, train_feed={training: True})
    return build


def single_image_check(sess, model, data, trainer, count=500):
    """At test time batch norm must not depend on the batch: one image at a time gives the same
    predictions as a batch of ``count`` when the moving statistics are used."""
    images = data.test.images[:count]
    batched = predict(sess, model, images, batch_size=count).argmax(axis=1)
    one_by_one = predict(sess, model, images, batch_size=1).argmax(axis=1)
    agreement = float((batched == one_by_one).mean())
    print(f"predictions one image at a time vs in a batch of {count}: {agreement:.2%} agree")
    return {"single_vs_batch_agreement": agreement}


def main(argv=None):
    parser = cli.build_parser("lab10-batch-norm", __doc__, epochs=TRAINING_EPOCHS,
                              learning_rate=LEARNING_RATE, batch_size=BATCH_SIZE)
    args = parser.parse_args(argv)
    documented = (args.epochs, args.learning_rate, args.batch_size) == \
        (TRAINING_EPOCHS, LEARNING_RATE, BATCH_SIZE)
    return {case: run_mnist_args(args, build_with(case == "batch_norm"),
                                 REPORTED[case] if documented else None, case=case,
                                 report=single_image_check)
            for case in ("batch_norm", "plain")}


if __name__ == "__main__":
    main_guard(main)
