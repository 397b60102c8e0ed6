"""Lab 11-3: the deep CNN rebuilt with ``tf.compat.v1.layers`` inside the ``Model`` class.

conv2d / max_pooling2d / dropout / dense, one line each; dropout is given as the rate dropped
(0.3 after each conv block, 0.5 after the dense layer) and is active only when ``training`` is
fed True. Initializers are explicit so the graph seed fixes them. Same accuracy as lab 11-2
(0.9931 / 0.9938); this is the model the ensemble (lab 11-5) trains side by side.
"""
from common.cnn import CourseModel
from common.lab import main_guard, run_mnist
from common.tf1 import new_session, tf

LEARNING_RATE = 0.001
TRAINING_EPOCHS = 15
BATCH_SIZE = 100
REPORTED = {(15, 0.001): 0.9931}


def conv(inputs, filters):
    return tf.layers.conv2d(inputs=inputs, filters=filters, kernel_size=[3, 3], padding="SAME",
                            activation=tf.nn.relu,
                            kernel_initializer=tf.glorot_uniform_initializer())


def pool(inputs):
    return tf.layers.max_pooling2d(inputs=inputs, pool_size=[2, 2], padding="SAME", strides=2)


class Model(CourseModel):
    def _build_net(self):
        # dropout is active only in training
        self.training = tf.placeholder_with_default(False, shape=[], name="training")
        self.X = tf.placeholder(tf.float32, [None, 784], name="X")
        X_img = tf.reshape(self.X, [-1, 28, 28, 1])  # img 28x28x1 (black/white), input layer
        self.Y = tf.placeholder(tf.float32, [None, 10], name="Y")

        # convolutional layer #1 and pooling layer #1
        conv1 = conv(X_img, 32)
        pool1 = pool(conv1)
        dropout1 = tf.layers.dropout(inputs=pool1, rate=0.3, training=self.training)
        # convolutional layer #2 and pooling layer #2
        conv2 = conv(dropout1, 64)
        pool2 = pool(conv2)
        dropout2 = tf.layers.dropout(inputs=pool2, rate=0.3, training=self.training)
        # convolutional layer #3 and pooling layer #3
        conv3 = conv(dropout2, 128)
        pool3 = pool(conv3)
        dropout3 = tf.layers.dropout(inputs=pool3, rate=0.3, training=self.training)

        # dense layer with ReLU
        flat = tf.reshape(dropout3, [-1, 128 * 4 * 4])
        dense4 = tf.layers.dense(inputs=flat, units=625, activation=tf.nn.relu,
                                 kernel_initializer=tf.glorot_uniform_initializer())
        dropout4 = tf.layers.dropout(inputs=dense4, rate=0.5, training=self.training)
        # logits (no activation) layer: L5 final FC 625 inputs -> 10 outputs
        self.logits = tf.layers.dense(inputs=dropout4, units=10,
                                      kernel_initializer=tf.glorot_uniform_initializer())

        # cost/loss, Adam optimizer and accuracy
        self._add_training(train_feed={self.training: True})


def build(hp):
    sess = new_session()
    m1 = Model(sess, "m1", hp)
    return m1.as_model()


def main(argv=None):
    return run_mnist("lab11-mnist-cnn-layers", __doc__, build, argv, epochs=TRAINING_EPOCHS,
                     learning_rate=LEARNING_RATE, batch_size=BATCH_SIZE, reported=REPORTED,
                     resumable=True)


if __name__ == "__main__":
    main_guard(main)
