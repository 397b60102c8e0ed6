"""What the lab 11 CNNs share: the conv -> ReLU -> max-pool block and the course's
``Model(sess, name)`` class interface."""
from common.tf1 import tf
from common.training import Model, evaluate, predict


def conv_relu_pool(inputs, W):
    """3x3 SAME convolution, ReLU, then 2x2 max pooling with stride 2 (halves height and width)."""
    conv = tf.nn.conv2d(inputs, W, strides=[1, 1, 1, 1], padding="SAME")
    return tf.nn.max_pool(tf.nn.relu(conv), ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")


class CourseModel:
    """The lecture's class: ``Model(sess, name)`` builds its net in ``tf.variable_scope(name)``.

    Subclasses define ``_build_net``: it sets ``X``, ``Y`` and ``logits``, then calls
    ``_add_training``.
    """

    def __init__(self, sess, name, hp):
        self.sess = sess
        self.name = name
        self.hp = hp
        with tf.variable_scope(name):
            self._build_net()

    def _add_training(self, train_feed):
        """The course's cost, Adam optimizer and accuracy; ``train_feed`` turns dropout on."""
        self.cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=self.logits,
                                                                           labels=self.Y))
        self.optimizer = tf.train.AdamOptimizer(learning_rate=self.hp.learning_rate).minimize(self.cost)
        correct_prediction = tf.equal(tf.argmax(self.logits, 1), tf.argmax(self.Y, 1))
        self.accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32))
        self.train_feed, self.eval_feed = train_feed, {}

    def as_model(self):
        """The graph as the shared training loop sees it."""
        return Model(x=self.X, y=self.Y, cost=self.cost, train_op=self.optimizer,
                     hypothesis=self.logits, accuracy=self.accuracy, train_feed=self.train_feed,
                     eval_feed=self.eval_feed, session=self.sess)

    def predict(self, x_test):
        return predict(self.sess, self.as_model(), x_test)

    def get_accuracy(self, x_test, y_test):
        return evaluate(self.sess, self.as_model(), x_test, y_test)
