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

    Subclasses define ``_build_net`` setting ``X``, ``Y``, ``logits``, ``cost``, ``optimizer``,
    ``accuracy``, ``train_feed`` and ``eval_feed``.
    """

    def __init__(self, sess, name, hp):
        self.sess = sess
        self.name = name
        self.hp = hp
        with tf.variable_scope(name):
            self._build_net()

    def as_model(self):
        """The graph as the shared training loop sees it."""
        return Model(x=self.X, y=self.Y, cost=self.cost, train_op=self.optimizer,
                     hypothesis=self.logits, accuracy=self.accuracy, train_feed=self.train_feed,
                     eval_feed=self.eval_feed, session=self.sess)

    def predict(self, x_test):
        return predict(self.sess, self.as_model(), x_test)

    def get_accuracy(self, x_test, y_test):
        return evaluate(self.sess, self.as_model(), x_test, y_test)
