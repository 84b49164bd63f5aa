"""dlopt.checkpoint: exact round trips, bit-for-bit resume for every optimizer, clear errors."""

from __future__ import annotations

import zipfile

import numpy as np
import pytest
from test_optimizer_contract import VARIANT_IDS, VARIANTS, _assert_same_state, _run

import dlopt
from dlopt.checkpoint import CheckpointError, load_checkpoint, save_checkpoint

METADATA = {
    "epoch": 7,
    "big_int": 2**62 + 1,
    "lr": 0.1,
    "third": 1 / 3,
    "tiny": 5e-324,
    "name": "アダム run",
    "flags": [True, False, None],
    "history": {"loss": [2.5, 1.25, 0.1 + 0.2], "nested": {"deeper": [1, [2, 3.5], "x"]}},
    "curve": np.linspace(0.0, 1.0, 5, dtype=np.float32),
}


def _params(seed: int = 0) -> dict:
    """float32 and float64 arrays, a 0-d array and a plain Python float."""
    rng = np.random.default_rng(seed)
    return {
        "W1": rng.normal(size=(4, 3)).astype(np.float32),
        "b1": rng.normal(size=3).astype(np.float32),
        "W2": rng.normal(size=(3, 2)),
        "s": np.array(rng.normal()),
        "x": float(rng.normal()),
    }


def _grads(params: dict, step: int) -> dict:
    out = {}
    for i, (k, p) in enumerate(params.items()):
        a = np.asarray(p)
        g = a - 0.3 * np.sin(a) + 0.5 * np.cos(step + i + np.arange(a.size).reshape(a.shape))
        out[k] = g.astype(a.dtype) if isinstance(p, np.ndarray) else float(g)
    return out


def _train(opt, params: dict, steps: range) -> None:
    for step in steps:
        opt.update(params, _grads(params, step))


def _assert_same_params(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for k in a:
        assert type(a[k]) is type(b[k]), k
        if isinstance(a[k], np.ndarray):
            assert a[k].dtype == b[k].dtype and np.array_equal(a[k], b[k]), k
        else:
            assert a[k] == b[k], k


def _saved(tmp_path, optimizer_cls=dlopt.Adam, **kwargs):
    params = _params()
    opt = optimizer_cls(**kwargs)
    _train(opt, params, range(3))
    path = tmp_path / "run.ckpt"
    save_checkpoint(path, params, opt, {"epoch": 3})
    return path, params, opt


# ---------------------------------------------------------------------------------------------
# round trips


@pytest.mark.parametrize("cls, kwargs", [(dlopt.Adam, {"amsgrad": True}), (dlopt.NAdam, {})])
def test_round_trip_is_exact(tmp_path, cls, kwargs):
    """Parameters (float32, float64, 0-d, Python float), optimizer state (NAdam keeps a float),
    hyperparameters and nested metadata come back exactly; arrays are filled in place."""
    params = _params()
    opt = cls(**kwargs)
    _train(opt, params, range(5))
    path = tmp_path / "ckpt.npz"
    save_checkpoint(path, params, opt, METADATA)

    fresh = _params(seed=1)
    identity = {k: id(v) for k, v in fresh.items() if isinstance(v, np.ndarray)}
    restored_opt = cls()
    metadata = load_checkpoint(path, fresh, restored_opt)

    _assert_same_params(fresh, params)
    assert {k: id(v) for k, v in fresh.items() if isinstance(v, np.ndarray)} == identity
    _assert_same_state(restored_opt.state_dict(), opt.state_dict())
    curve = metadata.pop("curve")
    assert curve.dtype == np.float32 and np.array_equal(curve, METADATA["curve"])
    assert metadata == {k: v for k, v in METADATA.items() if k != "curve"}
    assert type(metadata["big_int"]) is int and type(metadata["third"]) is float


def test_params_only_and_no_metadata(tmp_path):
    params = _params()
    save_checkpoint(tmp_path / "p", params)
    fresh = _params(seed=2)
    assert load_checkpoint(tmp_path / "p", fresh) == {}
    _assert_same_params(fresh, params)
    with pytest.raises(CheckpointError, match="no optimizer state"):
        load_checkpoint(tmp_path / "p", _params(), dlopt.SGD())


def test_the_file_is_a_plain_npz_loadable_without_pickle(tmp_path):
    """np.load(..., allow_pickle=False) reads it; no array is an object array; the name is kept
    (np.savez would have appended .npz); no temporary file is left behind."""
    path, params, _ = _saved(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.ckpt"]
    with np.load(path, allow_pickle=False) as npz:
        names = npz.files
        arrays = {name: npz[name] for name in names}
    assert "__manifest__" in names and len(names) > len(params)
    assert all(a.dtype != object for a in arrays.values())
    assert zipfile.is_zipfile(path)


def test_saving_replaces_an_existing_checkpoint(tmp_path):
    path, params, opt = _saved(tmp_path)
    _train(opt, params, range(3, 4))
    save_checkpoint(path, params, opt, {"epoch": 4})
    assert load_checkpoint(path, _params(), dlopt.Adam()) == {"epoch": 4}


# ---------------------------------------------------------------------------------------------
# resume, for every optimizer


@pytest.mark.parametrize("cls, kwargs", VARIANTS, ids=VARIANT_IDS)
def test_resume_from_a_file_is_bit_for_bit(tmp_path, cls, kwargs):
    """20 steps straight == 10 steps, save, load into a fresh optimizer (class defaults) and
    freshly initialized parameters (filled in place), 10 more steps: every bit the same."""
    straight = cls(**kwargs)
    params = _params()
    _run(straight, params, range(20))

    first = cls(**kwargs)
    before = _params()
    _run(first, before, range(10))
    save_checkpoint(tmp_path / "ckpt.npz", before, first, {"step": 10})

    resumed = _params(seed=3)  # a new model: different initial values
    arrays = {k: v for k, v in resumed.items() if isinstance(v, np.ndarray)}
    second = cls()
    assert load_checkpoint(tmp_path / "ckpt.npz", resumed, second) == {"step": 10}
    assert all(resumed[k] is a for k, a in arrays.items()), "restored in place"
    _run(second, resumed, range(10, 20))

    _assert_same_params(resumed, params)
    _assert_same_state(second.state_dict(), straight.state_dict())


# ---------------------------------------------------------------------------------------------
# damaged files


def test_truncated_file(tmp_path):
    path, _, _ = _saved(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(CheckpointError, match="truncated or corrupted"):
        load_checkpoint(path, _params(), dlopt.Adam())


def test_corrupted_file(tmp_path):
    path, _, _ = _saved(tmp_path)
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 8] = bytes(b ^ 0xFF for b in data[middle : middle + 8])
    path.write_bytes(bytes(data))
    with pytest.raises(CheckpointError, match="truncated or corrupted"):
        load_checkpoint(path, _params(), dlopt.Adam())


def _positions_to_flip(path) -> list[int]:
    """Every byte of the zip structure (local headers, central directory, end record), where a
    flip can change how the file is parsed, and every 8th byte of the members' contents, which
    are CRC-protected."""
    size = path.stat().st_size
    with zipfile.ZipFile(path) as archive:
        payloads = []
        for info in archive.infolist():
            start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
            payloads.append(range(start, start + info.compress_size))
    in_payload = set().union(*payloads)
    structure = [i for i in range(size) if i not in in_payload]
    return structure + [i for p in payloads for i in p[::8]]


def test_flipped_bytes_are_caught_or_harmless(tmp_path):
    """Flip one byte at a time. Loading must either raise CheckpointError or restore exactly what
    was saved (zip fields such as timestamps are not checked, and need not be): never another
    exception, never different numbers. (Flipping every byte of this file gives the same result;
    the test flips a fifth of them to stay fast.)"""
    params = {"W": np.arange(6.0).reshape(2, 3), "b": np.ones(3, np.float32), "x": 0.5}
    opt = dlopt.NAdam()
    _train(opt, params, range(2))
    path = tmp_path / "small.npz"
    save_checkpoint(path, params, opt, {"epoch": 2})
    data = path.read_bytes()
    positions = _positions_to_flip(path)
    assert len(positions) > len(data) // 8
    caught = harmless = 0
    with open(path, "r+b") as f:  # flip in place: rewriting the whole file is slow on some disks
        for i in positions:
            f.seek(i)
            f.write(bytes([data[i] ^ 0xFF]))
            f.flush()
            fresh = {"W": np.zeros((2, 3)), "b": np.zeros(3, np.float32), "x": 0.0}
            fresh_opt = dlopt.NAdam()
            try:
                metadata = load_checkpoint(path, fresh, fresh_opt)
            except CheckpointError:
                caught += 1
            else:
                assert metadata == {"epoch": 2}, f"byte {i}"
                _assert_same_params(fresh, params)
                _assert_same_state(fresh_opt.state_dict(), opt.state_dict())
                harmless += 1
            f.seek(i)
            f.write(data[i : i + 1])
            f.flush()
    assert path.read_bytes() == data
    assert caught > 0.6 * len(positions), f"{caught} caught, {harmless} harmless"


def test_random_bytes_and_empty_file(tmp_path):
    path = tmp_path / "noise.npz"
    path.write_bytes(np.random.default_rng(0).integers(0, 256, 4096, dtype=np.uint8).tobytes())
    with pytest.raises(CheckpointError, match="not a readable checkpoint"):
        load_checkpoint(path)
    path.write_bytes(b"")
    with pytest.raises(CheckpointError, match="not a readable checkpoint"):
        load_checkpoint(path)


def test_npz_that_is_not_a_checkpoint(tmp_path):
    path = tmp_path / "other.npz"
    np.savez(path, W=np.ones(3))
    with pytest.raises(CheckpointError, match="no manifest"):
        load_checkpoint(path)
    np.savez(path, __manifest__=np.array('{"format": "something-else"}'))
    with pytest.raises(CheckpointError, match="format"):
        load_checkpoint(path)
    np.savez(path, __manifest__=np.array("[1, 2]"))
    with pytest.raises(CheckpointError, match="format"):
        load_checkpoint(path)
    np.savez(path, __manifest__=np.array('{"format": "dlopt-checkpoint-1"}'))
    with pytest.raises(CheckpointError, match="params"):
        load_checkpoint(path)


def test_single_npy_array_is_not_a_checkpoint(tmp_path):
    path = tmp_path / "array.npy"
    np.save(path, np.ones(3))
    with pytest.raises(CheckpointError, match="single array"):
        load_checkpoint(path)


def test_missing_file_is_filenotfounderror(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_checkpoint(tmp_path / "nothing.npz")


# ---------------------------------------------------------------------------------------------
# a checkpoint that does not fit: nothing is changed


def _assert_untouched(params: dict, snapshot: dict, opt) -> None:
    _assert_same_params(params, snapshot)
    assert opt.state == {}


def test_wrong_optimizer_class(tmp_path):
    path, _, _ = _saved(tmp_path, dlopt.Adam)
    params, opt = _params(seed=5), dlopt.AdamW()
    snapshot = {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in params.items()}
    with pytest.raises(CheckpointError, match="holds Adam state, not AdamW"):
        load_checkpoint(path, params, opt)
    _assert_untouched(params, snapshot, opt)


def test_different_parameter_keys(tmp_path):
    path, _, _ = _saved(tmp_path)
    params = _params(seed=5)
    params["extra"] = np.zeros(2)
    del params["b1"]
    snapshot = {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in params.items()}
    opt = dlopt.Adam()
    with pytest.raises(CheckpointError, match=r"parameters \['W1', 'W2', 'b1', 's', 'x'\]"):
        load_checkpoint(path, params, opt)
    _assert_untouched(params, snapshot, opt)


@pytest.mark.parametrize(
    "key, replacement, message",
    [
        ("W1", np.zeros((3, 4), np.float32), r"'W1' has shape \(4, 3\) in .*expected \(3, 4\)"),
        ("s", np.zeros(1), r"'s' has shape \(\) in .*expected \(1,\)"),
        ("x", np.zeros(2), r"'x' has shape \(\) in .*expected \(2,\)"),
        ("W2", np.zeros((3, 2), np.float32), r"'W2' has dtype float64 in .*expected float32"),
    ],
)
def test_parameter_that_does_not_fit(tmp_path, key, replacement, message):
    path, _, _ = _saved(tmp_path)
    params = _params(seed=5)
    params[key] = replacement
    snapshot = {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in params.items()}
    opt = dlopt.Adam()
    with pytest.raises(CheckpointError, match=message):
        load_checkpoint(path, params, opt)
    _assert_untouched(params, snapshot, opt)
