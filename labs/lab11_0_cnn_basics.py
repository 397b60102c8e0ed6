"""Lab 11-0 (notes 11-1): convolution and pooling, by hand-sized examples.

- a 3x3 image [[1,2,3],[4,5,6],[7,8,9]] through a 2x2 filter of ones, stride 1:
  VALID -> [[12,16],[24,28]]; SAME -> [[12,16,9],[24,28,15],[15,17,9]];
- three filters at once (factors 1, 10, -1), SAME: three feature maps;
- max pooling of [[4,3],[2,1]], 2x2, stride 1: SAME -> [[4,3],[2,1]]; VALID -> (1,1,1,1) [[[[4.]]]];
- one MNIST image through 5 random 3x3 filters, stride 2, SAME -> (1,14,14,5), then a 2x2 max
  pool, stride 2 -> (1,7,7,5).

Each convolution prints the notebook's ``image.shape``, ``weight.shape`` and ``conv2d_img.shape``
with the lecture's output-size rule beside them, (N - F) / stride + 1 for VALID (SAME keeps
N / stride, rounded up); the MNIST convolution and pool print their tensors, as the notes show.
The 3x3 image and the feature maps are saved as PNG images in the run folder and as TensorBoard
image summaries.
"""

# %%
import numpy as np

from common import cli, mnist, plots
from common.lab import main_guard
from common.plots import plt  # matplotlib on its file-only backend: works without a screen
from common.run_folder import run_folder
from common.tf1 import reset, tf

# %%
image = np.array([[[[1], [2], [3]], [[4], [5], [6]], [[7], [8], [9]]]], dtype=np.float32)
ones_filter = np.ones((2, 2, 1, 1), dtype=np.float32)
three_filters = np.tile(np.array([1.0, 10.0, -1.0], dtype=np.float32), (2, 2, 1, 1))
pool_image = np.array([[[[4], [3]], [[2], [1]]]], dtype=np.float32)


# the three convolutions of the 3x3 image: (filter, padding), stride 1
CONVOLUTIONS = {"conv_valid": (ones_filter, "VALID"), "conv_same": (ones_filter, "SAME")}
CONVOLUTIONS["conv_three_filters"] = (three_filters, "SAME")
# the MNIST image's steps: (input side, filter side, stride)
MNIST_STEPS = {"mnist_conv": (28, 3, 2), "mnist_pool": (14, 2, 2)}


# %%
def output_size(n, f, stride, padding):
    """The lecture's rule, (N - F) / stride + 1, for VALID; SAME pads to N / stride, rounded up."""
    if padding == "VALID":
        return f"(N - F) / stride + 1 = ({n} - {f}) / {stride} + 1 = {(n - f) // stride + 1}"
    return f"SAME: N / stride = {n} / {stride}, rounded up = {-(-n // stride)}"


# %%
def feature_maps(tensor_value):
    """(1, h, w, c) -> c maps of (h, w), the lecture's ``np.swapaxes(img, 0, 3)``."""
    return [one_img.reshape(tensor_value.shape[1:3]) for one_img in np.swapaxes(tensor_value, 0, 3)]


# %%
def save_maps(path, title, maps):
    fig, axes = plt.subplots(1, len(maps), figsize=(2.2 * len(maps), 2.4), squeeze=False)
    for axis, one_map in zip(axes[0], maps):
        axis.imshow(one_map, cmap="gray")
        axis.set_xticks([])
        axis.set_yticks([])
    fig.suptitle(title)
    plots.save(fig, path, dpi=80)  # under a temporary name, then renamed


# %%
def image_summary(name, value):
    """Feature maps of a (1, h, w, c) tensor as a batch of c grey images, scaled to [0, 1]."""
    maps = tf.transpose(value, [3, 1, 2, 0])
    low, high = tf.reduce_min(maps), tf.reduce_max(maps)
    return tf.summary.image(name, (maps - low) / (high - low + 1e-7), max_outputs=8)


# %%
def run(args, log=print):
    reset(args.seed)
    sess = tf.InteractiveSession()
    try:
        log(f"image.shape {image.shape}")
        log(str(image.reshape(3, 3)))
        examples = {
            "conv_valid": tf.nn.conv2d(image, ones_filter, strides=[1, 1, 1, 1], padding="VALID"),
            "conv_same": tf.nn.conv2d(image, ones_filter, strides=[1, 1, 1, 1], padding="SAME"),
            "conv_three_filters": tf.nn.conv2d(image, three_filters, strides=[1, 1, 1, 1], padding="SAME"),
            "max_pool": tf.nn.max_pool(pool_image, ksize=[1, 2, 2, 1], strides=[1, 1, 1, 1], padding="SAME"),
            "max_pool_valid": tf.nn.max_pool(
                pool_image, ksize=[1, 2, 2, 1], strides=[1, 1, 1, 1], padding="VALID"
            ),
        }
        # one MNIST training image through five random 3x3 filters, then a pool
        data = mnist.read_data_sets(args.data_dir, seed=args.seed, log=log)
        img = data.train.images[0].reshape(-1, 28, 28, 1)
        W1 = tf.Variable(tf.random_normal([3, 3, 1, 5], stddev=0.01), name="W1")
        examples["mnist_conv"] = tf.nn.conv2d(img, W1, strides=[1, 2, 2, 1], padding="SAME")
        examples["mnist_pool"] = tf.nn.max_pool(
            examples["mnist_conv"], ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME"
        )
        summaries = tf.summary.merge(
            [image_summary(name, tensor) for name, tensor in examples.items()]
            + [tf.summary.image("mnist_input", img), image_summary("image", image)]
        )
        sess.run(tf.global_variables_initializer())
        values, summary = sess.run([examples, summaries])

        directory = run_folder(args)
        directory.mkdir(parents=True, exist_ok=True)
        writer = tf.summary.FileWriter(str(directory), sess.graph)
        writer.add_summary(summary, 0)
        writer.close()
        save_maps(directory / "image.png", f"image {image.shape}", feature_maps(image))
        for name, value in values.items():  # the notebook's order
            if name in CONVOLUTIONS:
                weight, padding = CONVOLUTIONS[name]
                log(f"{name}: image.shape {image.shape}, weight.shape {weight.shape}")
                rule = output_size(image.shape[1], weight.shape[0], 1, padding)
                log(f"  conv2d_img.shape {value.shape}; {rule}")
            elif name.startswith("max_pool"):  # print(pool.shape), print(pool.eval())
                log(f"{name}: {value.shape}\n{value}")
            else:  # print(conv2d), print(pool): the graph's tensor
                log(f"{name}: {examples[name]}; {output_size(*MNIST_STEPS[name], 'SAME')}")
            maps = feature_maps(value)
            if name in CONVOLUTIONS:
                for one_map in maps:
                    log(str(one_map))
            save_maps(directory / f"{name}.png", f"{name} {value.shape}", maps)
        log(f"feature maps: {directory}/*.png and TensorBoard's Images tab")
        return values, directory
    finally:
        sess.close()


# %%
def main(argv=None):
    parser = cli.build_parser("lab11-conv-basics", __doc__)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    main_guard(main)
