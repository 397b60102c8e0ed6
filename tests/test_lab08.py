"""Lab 08: every value notes-07-08 prints, exactly (with the notes' correction of t.ndim)."""

import re

import numpy as np
import pytest

from labs import lab08_tensor_manipulation

EXPECTED = {
    "t.ndim": 1,  # the original prints a wrong value here; notes-07-08 corrects it to 1
    "t.shape": (7,),
    "t[0], t[1], t[-1]": (0.0, 1.0, 6.0),
    "t[2:5], t[4:-1]": ([2.0, 3.0, 4.0], [4.0, 5.0]),
    "t[:2], t[3:]": ([0.0, 1.0], [3.0, 4.0, 5.0, 6.0]),
    "t2.ndim": 2,
    "t2.shape": (4, 3),
    "tf.shape(tf.constant([1, 2, 3, 4]))": [4],
    "tf.shape(tf.constant([[1, 2], [3, 4]]))": [2, 2],
    "tf.shape(t4)": [1, 2, 3, 4],
    "tf.matmul(matrix1, matrix2)": [[12.0]],
    "matrix1 * matrix2": [[6.0, 6.0], [6.0, 6.0]],
    "matrix1 + matrix2": [[5.0, 5.0], [5.0, 5.0]],
    "[[3., 3.]] + [[2., 2.]]": [[5.0, 5.0]],
    "[[1., 2.]] + 3.": [[4.0, 5.0]],
    "[[1., 2.]] + [3., 4.]": [[4.0, 6.0]],
    "[[1., 2.]] + [[3.], [4.]]": [[4.0, 5.0], [5.0, 6.0]],
    "tf.random_normal([3])": None,  # random: see RANDOM
    "tf.random_uniform([2])": None,
    "tf.random_uniform([2, 3])": None,
    "tf.reduce_mean([1, 2], axis=0)": 1,  # integer mean
    "tf.reduce_mean(x)": 2.5,
    "tf.reduce_mean(x, axis=0)": [2.0, 3.0],
    "tf.reduce_mean(x, axis=1)": [1.5, 3.5],
    "tf.reduce_mean(x, axis=-1)": [1.5, 3.5],
    "tf.reduce_sum(x)": 10.0,
    "tf.reduce_sum(x, axis=0)": [4.0, 6.0],
    "tf.reduce_sum(x, axis=-1)": [3.0, 7.0],
    "tf.reduce_mean(tf.reduce_sum(x, axis=-1))": 5.0,
    "tf.argmax(x, axis=0)": [1, 0, 0],
    "tf.argmax(x, axis=1)": [2, 0],
    "tf.argmax(x, axis=-1)": [2, 0],
    "t3.shape": (2, 2, 3),
    "tf.reshape(t, shape=[-1, 3])": [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9, 10, 11]],
    "tf.reshape(t, shape=[-1, 1, 3])": [[[0, 1, 2]], [[3, 4, 5]], [[6, 7, 8]], [[9, 10, 11]]],
    "tf.squeeze([[0], [1], [2]])": [0, 1, 2],
    "tf.expand_dims([0, 1, 2], 1)": [[0], [1], [2]],
    "tf.one_hot([[0], [1], [2], [0]], depth=3)": [
        [[1.0, 0.0, 0.0]],
        [[0.0, 1.0, 0.0]],
        [[0.0, 0.0, 1.0]],
        [[1.0, 0.0, 0.0]],
    ],
    "tf.reshape(one_hot, shape=[-1, 3])": [
        [1.0, 0.0, 0.0],
        [0.0, 1.0, 0.0],
        [0.0, 0.0, 1.0],
        [1.0, 0.0, 0.0],
    ],
    "tf.cast([1.8, 2.2, 3.3, 4.9], tf.int32)": [1, 2, 3, 4],
    "tf.cast([True, False, 1 == 1, 0 == 1], tf.int32)": [1, 0, 1, 0],
    "tf.stack([x, y, z])": [[1, 4], [2, 5], [3, 6]],
    "tf.stack([x, y, z], axis=1)": [[1, 2, 3], [4, 5, 6]],
    "tf.ones_like(x)": [[1, 1, 1], [1, 1, 1]],
    "tf.zeros_like(x)": [[0, 0, 0], [0, 0, 0]],
    "zip([1, 2, 3], [4, 5, 6])": [(1, 4), (2, 5), (3, 6)],
    "zip([1, 2, 3], [4, 5, 6], [7, 8, 9])": [(1, 4, 7), (2, 5, 8), (3, 6, 9)],
    "t1 = tf.transpose(t, [1, 0, 2])": [[[0, 1, 2], [6, 7, 8]], [[3, 4, 5], [9, 10, 11]]],
    "tf.transpose(t1, [1, 0, 2])": [[[0, 1, 2], [3, 4, 5]], [[6, 7, 8], [9, 10, 11]]],
    "t2 = tf.transpose(t, [1, 2, 0])": [[[0, 6], [1, 7], [2, 8]], [[3, 9], [4, 10], [5, 11]]],
    "tf.transpose(t2, [2, 0, 1])": [[[0, 1, 2], [3, 4, 5]], [[6, 7, 8], [9, 10, 11]]],
}
# the random cells: (shape, lowest, highest) of what they may draw
RANDOM = {
    "tf.random_normal([3])": ((3,), -np.inf, np.inf),
    "tf.random_uniform([2])": ((2,), 0.0, 1.0),
    "tf.random_uniform([2, 3])": ((2, 3), 0.0, 1.0),
}


def test_help_offers_only_the_flags_it_uses(capsys):
    with pytest.raises(SystemExit) as exit_info:
        lab08_tensor_manipulation.main(["--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    flags = set(re.findall(r"^  (--[a-z][a-z-]*)", text.split("\noptions:\n")[1], re.M))
    # no training and no data set: only the seed and the run folder of the graph it writes
    assert flags == {"--seed", "--logdir", "--run-name"}
    assert "(default None)" not in text


def test_the_seed_names_the_graphs_run(tmp_path):
    lab08_tensor_manipulation.main(["--seed", "5", "--logdir", str(tmp_path)])
    # the lock file beside the run (".<run>.lock") is not a run
    [run] = [p for p in (tmp_path / "lab08-tensor-manipulation").iterdir() if p.is_dir()]
    assert run.name.startswith("seed0005-") and list(run.glob("events.out.tfevents.*"))


@pytest.fixture(scope="module")
def values():
    return lab08_tensor_manipulation.run(log=lambda *_: None)


def test_every_expression_is_shown_in_order(values):
    assert list(values) == list(EXPECTED)


@pytest.mark.parametrize("expression", [e for e in EXPECTED if e not in RANDOM])
def test_value_is_exactly_as_printed(values, expression):
    actual, expected = values[expression], EXPECTED[expression]
    if isinstance(expected, tuple) and expected and isinstance(expected[0], list):
        assert len(actual) == len(expected)
        for part, want in zip(actual, expected):
            np.testing.assert_array_equal(part, want)
    elif isinstance(actual, np.ndarray):
        assert actual.shape == np.shape(expected)
        np.testing.assert_array_equal(actual, expected)
    else:
        assert actual == expected


def test_random_cells_draw_their_shapes_and_ranges_the_same_at_the_same_seed(values):
    again = lab08_tensor_manipulation.run(log=lambda *_: None)
    for expression, (shape, low, high) in RANDOM.items():
        drawn = values[expression]
        assert drawn.shape == shape and drawn.dtype == np.float32
        assert np.all((low <= drawn) & (drawn < high)) and len(np.unique(drawn)) == drawn.size
        np.testing.assert_array_equal(again[expression], drawn)


def test_integer_reduce_mean_truncates_and_casts_keep_their_types(values):
    assert values["tf.reduce_mean([1, 2], axis=0)"].dtype == np.int32
    assert values["tf.cast([1.8, 2.2, 3.3, 4.9], tf.int32)"].dtype == np.int32


def test_printed_like_the_lecture():
    show = lab08_tensor_manipulation.as_printed
    assert show((np.array([2.0, 3.0, 4.0]), np.array([4.0, 5.0]))) == "[2. 3. 4.] [4. 5.]"
    assert show([(1, 4), (2, 5)]) == "1 4\n2 5"
