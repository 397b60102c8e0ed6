"""Lab 11-3: the deep CNN of lab 11-2 wrapped in a ``Model(sess, name)`` class.

The class builds its net inside ``tf.variable_scope(name)``, so several models can live in one
graph (the step towards ensembles), and offers ``predict`` / ``get_accuracy``. Same settings and
accuracy as lab 11-2 (0.9931 / 0.9938).
"""
from common.cnn import CourseModel
from common.lab import main_guard, run_mnist
from common.tf1 import new_session, tf
from labs.lab11_2_mnist_deep_cnn import KEEP_PROB, deep_cnn

LEARNING_RATE = 0.001
TRAINING_EPOCHS = 15
BATCH_SIZE = 100
REPORTED = {(15, 0.001): 0.9931}


class Model(CourseModel):
    def _build_net(self):
        # dropout (keep_prob) rate 0.7 on training, but should be 1 for testing
        self.keep_prob = tf.placeholder_with_default(1.0, shape=[], name="keep_prob")
        self.X = tf.placeholder(tf.float32, [None, 784], name="X")
        X_img = tf.reshape(self.X, [-1, 28, 28, 1])
        self.Y = tf.placeholder(tf.float32, [None, 10], name="Y")
        self.logits, _ = deep_cnn(X_img, self.keep_prob)
        self._add_training(train_feed={self.keep_prob: KEEP_PROB})


def build(hp):
    sess = new_session()
    m1 = Model(sess, "m1", hp)
    return m1.as_model()


def main(argv=None):
    return run_mnist("lab11-mnist-cnn-class", __doc__, build, argv, epochs=TRAINING_EPOCHS,
                     learning_rate=LEARNING_RATE, batch_size=BATCH_SIZE, reported=REPORTED,
                     resumable=True)


if __name__ == "__main__":
    main_guard(main)
