"""dlopt.checkpoint: exact round trips (tricky metadata too), bit-for-bit resume for every optimizer,
saves that are atomic under concurrency and clean on failure, bounded and all-or-nothing loads, and
clear Japanese errors."""

from __future__ import annotations

import contextlib
import errno
import io
import multiprocessing
import os
import sys
import threading
import tracemalloc
import zipfile

import numpy as np
import pytest
from optimizer_registry import INFO, VARIANT_IDS, VARIANTS, assert_same_state, run

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


def _params(seed: int = 0, matrices_only: bool = False) -> dict:
    """float32 and float64 arrays, a 0-d array and a plain Python float (the two matrices only, for
    an optimizer of matrices such as Muon)."""
    rng = np.random.default_rng(seed)
    params = {
        "W1": rng.normal(size=(4, 3)).astype(np.float32),
        "b1": rng.normal(size=3).astype(np.float32),
        "W2": rng.normal(size=(3, 2)),
        "s": np.array(rng.normal()),
        "x": float(rng.normal()),
    }
    return {k: v for k, v in params.items() if np.ndim(v) == 2} if matrices_only else params


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


def _snapshot(params: dict) -> dict:
    return {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in params.items()}


def _npy(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


def _rewrite(path, replace: dict[str, bytes], compression: int = zipfile.ZIP_STORED) -> None:
    """Write the checkpoint's zip again with some members' bytes replaced, as a hand-made file."""
    with zipfile.ZipFile(path) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()} | replace
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def _edit_manifest(path, old: str, new: str) -> None:
    """Replace the one occurrence of ``old`` in the manifest's JSON text."""
    with zipfile.ZipFile(path) as archive:
        text = str(np.load(io.BytesIO(archive.read("__manifest__.npy"))))
    assert text.count(old) == 1, text
    _rewrite(path, {"__manifest__.npy": _npy(np.array(text.replace(old, new)))})


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
    assert_same_state(restored_opt.state_dict(), opt.state_dict())
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
    with pytest.raises(CheckpointError, match="最適化手法（optimizer）の状態がありません"):
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
    only = not INFO[cls].takes_any_shape
    straight = cls(**kwargs)
    params = _params(matrices_only=only)
    run(straight, params, range(20))

    first = cls(**kwargs)
    before = _params(matrices_only=only)
    run(first, before, range(10))
    save_checkpoint(tmp_path / "ckpt.npz", before, first, {"step": 10})

    resumed = _params(seed=3, matrices_only=only)  # a new model: different initial values
    arrays = {k: v for k, v in resumed.items() if isinstance(v, np.ndarray)}
    second = cls()
    assert load_checkpoint(tmp_path / "ckpt.npz", resumed, second) == {"step": 10}
    assert all(resumed[k] is a for k, a in arrays.items()), "restored in place"
    run(second, resumed, range(10, 20))

    _assert_same_params(resumed, params)
    assert_same_state(second.state_dict(), straight.state_dict())


# ---------------------------------------------------------------------------------------------
# damaged files


def test_truncated_file(tmp_path):
    path, _, _ = _saved(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(CheckpointError, match="途中で切れているか壊れています"):
        load_checkpoint(path, _params(), dlopt.Adam())


def test_corrupted_file(tmp_path):
    path, _, _ = _saved(tmp_path)
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 8] = bytes(b ^ 0xFF for b in data[middle : middle + 8])
    path.write_bytes(bytes(data))
    with pytest.raises(CheckpointError, match="途中で切れているか壊れています"):
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
                assert_same_state(fresh_opt.state_dict(), opt.state_dict())
                harmless += 1
            f.seek(i)
            f.write(data[i : i + 1])
            f.flush()
    assert path.read_bytes() == data
    assert caught > 0.6 * len(positions), f"{caught} caught, {harmless} harmless"


def test_random_bytes_and_empty_file(tmp_path):
    path = tmp_path / "noise.npz"
    path.write_bytes(np.random.default_rng(0).integers(0, 256, 4096, dtype=np.uint8).tobytes())
    with pytest.raises(CheckpointError, match="を読めません"):
        load_checkpoint(path)
    path.write_bytes(b"")
    with pytest.raises(CheckpointError, match="を読めません"):
        load_checkpoint(path)


def test_npz_that_is_not_a_checkpoint(tmp_path):
    path = tmp_path / "other.npz"
    np.savez(path, W=np.ones(3))
    with pytest.raises(CheckpointError, match="マニフェストがありません"):
        load_checkpoint(path)
    for manifest, message in [
        ('{"format": "something-else"}', "形式は 'something-else'"),
        ("[1, 2]", r"形式は \[1, 2\]"),
        ('{"format": "dlopt-checkpoint-1", "params": {}}', "古いファイルは読み込めないので、保存し直して"),
        ('{"format": "dlopt-checkpoint-2"}', "マニフェストに 'params' がありません"),
        ('{"format": "dlopt-checkpoint-2", "params": {"__array__": "a0"}}', "マニフェストが壊れています"),
        ('{"format": "dlopt-checkpoint-2", "params": [], "optimizer": null, "metadata": []}', "dict"),
    ]:
        np.savez(path, __manifest__=np.array(manifest))
        with pytest.raises(CheckpointError, match=message):
            load_checkpoint(path)


def test_single_npy_array_is_not_a_checkpoint(tmp_path):
    path = tmp_path / "array.npy"
    np.save(path, np.ones(3))
    with pytest.raises(CheckpointError, match="配列 1 つの .npy ファイル"):
        load_checkpoint(path)


def test_missing_file_is_filenotfounderror(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_checkpoint(tmp_path / "nothing.npz")


# ---------------------------------------------------------------------------------------------
# a checkpoint that does not fit: nothing is changed


def _assert_refused(path, params: dict, opt, message: str) -> None:
    """Loading raises CheckpointError matching ``message``, and every parameter, the optimizer's
    hyperparameters and its state are exactly as before."""
    snapshot = _snapshot(params)
    with pytest.raises(CheckpointError, match=message):
        load_checkpoint(path, params, opt)
    _assert_same_params(params, snapshot)
    assert_same_state(opt.state_dict(), type(opt)().state_dict())


def test_wrong_optimizer_class(tmp_path):
    path, _, _ = _saved(tmp_path, dlopt.Adam)
    _assert_refused(path, _params(seed=5), dlopt.AdamW(), "Adam の状態を持っています。AdamW には読み込め")


def test_different_parameter_keys(tmp_path):
    path, _, _ = _saved(tmp_path)
    params = _params(seed=5)
    params["extra"] = np.zeros(2)
    del params["b1"]
    _assert_refused(path, params, dlopt.Adam(), r"パラメータ \['W1', 'W2', 'b1', 's', 'x'\] が、渡された")


@pytest.mark.parametrize(
    "key, replacement, message",
    [
        ("W1", np.zeros((3, 4), np.float32),
         r"^チェックポイント .*run.ckpt のパラメータ 'W1' の形 \(4, 3\) が、"
         r"渡された params の形 \(3, 4\) と違います$"),
        ("s", np.zeros(1), r"'s' の形 \(\) が、渡された params の形 \(1,\)"),
        ("x", np.zeros(2), r"'x' の形 \(\) が、渡された params の形 \(2,\)"),
        ("W2", np.zeros((3, 2), np.float32), r"'W2' の dtype float64 が、渡された params の dtype float32"),
        ("x", "0.5", r"params\['x'\] は配列か数です（str）"),
        ("W2", np.broadcast_to(0.0, (3, 2)), r"params\['W2'\] は読み取り専用の配列"),
    ],
)
def test_parameter_that_does_not_fit(tmp_path, key, replacement, message):
    path, _, _ = _saved(tmp_path)
    params = _params(seed=5)
    params[key] = replacement
    _assert_refused(path, params, dlopt.Adam(), message)


@pytest.mark.parametrize(
    "old, new, message",
    [
        ("0.0123", "-0.0123", "lr は 0 以上"),  # a hyperparameter the optimizer refuses
        ("0.0123", '"fast"', "lr は有限の数"),
        ("1234.5", '"abc"', "パラメータ 'x' が数の配列でも数でもありません（str）"),
        ("1234.5", "null", "パラメータ 'x' が数の配列でも数でもありません（NoneType）"),
    ],
)
def test_a_bad_value_in_the_manifest_changes_nothing(tmp_path, old, new, message):
    """Everything is checked (parameters, then the optimizer's state with check_state_dict) before
    the first parameter is written."""
    params, opt = _params(), dlopt.Adam(lr=0.0123)
    _train(opt, params, range(3))
    params["x"] = 1234.5
    path = tmp_path / "run.ckpt"
    save_checkpoint(path, params, opt)
    _edit_manifest(path, old, new)
    _assert_refused(path, _params(seed=5), dlopt.Adam(), message)


# ---------------------------------------------------------------------------------------------
# what the manifest can hold: user data never collides with the encoding


def test_metadata_and_keys_that_look_like_the_encoding_round_trip(tmp_path):
    """Keys such as "__array__", "dict" or "__manifest__" are plain data, and tuples stay tuples
    (== tells a tuple from a list)."""
    tricky = {
        "__array__": "a0",
        "array": "a0",
        "dict": [["k", 1]],
        "tuple": [1, 2],
        "__manifest__": {"__array__": "__manifest__"},
        "betas": (0.9, 0.999),
        "pairs": ((1, 2.5), ["x", (None, True)], ()),
        "empty": {"": {}, "list": [], "tuple": ()},
    }
    params = {"a0": np.ones(2), "__manifest__": np.zeros(1), "dict": 0.5}
    save_checkpoint(tmp_path / "t", params, dlopt.Adam(betas=(0.5, 0.9)), tricky)
    fresh, opt = {"a0": np.zeros(2), "__manifest__": np.ones(1), "dict": 0.0}, dlopt.Adam()
    assert load_checkpoint(tmp_path / "t", fresh, opt) == tricky
    _assert_same_params(fresh, params)
    assert opt.betas == (0.5, 0.9)


def _previous_checkpoint(tmp_path):
    path, _, _ = _saved(tmp_path)
    return path, path.read_bytes()


def _assert_only_the_previous_checkpoint(tmp_path, path, before: bytes) -> None:
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name], "no temporary file is left"
    assert path.read_bytes() == before
    assert load_checkpoint(path, _params(), dlopt.Adam()) == {"epoch": 3}


@pytest.mark.parametrize(
    "params, metadata, message",
    [
        ({1: np.zeros(2)}, None, "params のキー 1（int）は str ではない"),
        ({"W": "abc"}, None, "パラメータ 'W' は数の配列か数です（str"),
        (None, {"history": {2: 0.5}}, r"metadata\['history'\] のキー 2（int）は str ではない"),
        (None, {"runs": [{(1, 2): 0}]}, r"metadata\['runs'\]\[0\] のキー \(1, 2\)（tuple）"),
        (None, {"fn": print}, r"metadata\['fn'\] の値（builtin_function_or_method）は保存できません"),
        (None, {"seen": {1, 2}}, r"metadata\['seen'\] の値（set）"),
        (None, {"raw": b"\x00"}, r"metadata\['raw'\] の値（bytes）"),
        (None, {"objs": np.array([None])}, r"metadata\['objs'\] は dtype object の配列"),
        (None, [("epoch", 1)], "params と metadata は dict です"),
    ],
)
def test_what_could_not_load_is_refused_at_save(tmp_path, params, metadata, message):
    """A TypeError naming the key or value, raised before anything is written: the previous
    checkpoint stays, and no temporary file is left."""
    path, before = _previous_checkpoint(tmp_path)
    with pytest.raises(TypeError, match=message):
        save_checkpoint(path, params or {"W": np.zeros(2)}, None, metadata)
    _assert_only_the_previous_checkpoint(tmp_path, path, before)


@pytest.mark.parametrize("module, name", [(np, "savez"), (os, "fsync"), (os, "replace")])
def test_a_failed_write_leaves_the_previous_checkpoint(tmp_path, monkeypatch, module, name):
    """A disk error while writing, flushing or renaming: the error is raised, the temporary file
    is removed and the previous checkpoint is untouched."""
    path, before = _previous_checkpoint(tmp_path)

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(module, name, disk_full)
    with pytest.raises(OSError, match="No space left"):
        save_checkpoint(path, _params(seed=1), dlopt.Adam(), {"epoch": 4})
    monkeypatch.undo()
    _assert_only_the_previous_checkpoint(tmp_path, path, before)


# ---------------------------------------------------------------------------------------------
# concurrent saves to one path


def _writers_params(writer: int) -> dict:
    """Half a megabyte, so that concurrent writes overlap."""
    return {"W": np.full((256, 250), float(writer)), "b": np.arange(64.0) + writer}


def _save_repeatedly(path, writer: int, failures: list) -> None:
    try:
        for _ in range(4):
            save_checkpoint(path, _writers_params(writer), None, {"writer": writer})
    except Exception as error:
        failures.append(f"writer {writer}: {error!r}")
        sys.exit(1)  # the exit code of a process; a thread just ends


@pytest.mark.parametrize("start, workers", [("thread", 8), ("fork", 4)])
def test_concurrent_saves_to_one_path(tmp_path, start, workers):
    """Every save succeeds, the file is one writer's checkpoint, and no temporary file is left."""
    if start not in ("thread", *multiprocessing.get_all_start_methods()):
        pytest.skip(f"no {start} on this platform")
    path, failures = tmp_path / "run.ckpt", []
    new = threading.Thread if start == "thread" else multiprocessing.get_context(start).Process
    jobs = [new(target=_save_repeatedly, args=(path, writer, failures)) for writer in range(workers)]
    for job in jobs:
        job.start()
    for job in jobs:
        job.join()
    assert failures == [] and [getattr(job, "exitcode", 0) for job in jobs] == [0] * workers
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.ckpt"]
    loaded = _writers_params(-1)
    writer = load_checkpoint(path, loaded)["writer"]
    assert writer in range(workers)
    _assert_same_params(loaded, _writers_params(writer))


# ---------------------------------------------------------------------------------------------
# what a file declares is bounded before anything is allocated


@contextlib.contextmanager
def _allocating_at_most(limit: int):
    tracemalloc.start()
    try:
        yield
        assert tracemalloc.get_traced_memory()[1] < limit, "the peak of traced allocations"
    finally:
        tracemalloc.stop()


def test_a_small_file_that_expands_beyond_max_bytes_is_refused(tmp_path):
    """8 MB of zeros compressed into a few kB: refused by what the zip declares, before reading."""
    path = tmp_path / "bomb.npz"
    save_checkpoint(path, {"W": np.zeros(3)}, None, {"zeros": np.zeros(1_000_000)})
    _rewrite(path, {}, zipfile.ZIP_DEFLATED)
    assert path.stat().st_size < 100_000
    with _allocating_at_most(500_000), pytest.raises(CheckpointError, match=r"展開すると 80\d{5} バイトで"):
        load_checkpoint(path, max_bytes=1_000_000)
    assert load_checkpoint(path)["zeros"].shape == (1_000_000,)  # within the default limit
    with pytest.raises(ValueError, match="max_bytes は 0 以上の整数"):
        load_checkpoint(path, max_bytes=-1)


@pytest.mark.parametrize(
    "header, message",
    [
        ({"descr": "<f8", "fortran_order": False, "shape": (2**40,)},
         r"a0.npy は形 \(1099511627776,\)・dtype float64（8796093022208 バイト）と宣言していますが"),
        ({"descr": "<f4", "fortran_order": True, "shape": (10**4, 10**4)},
         r"\(10000, 10000\)・dtype float32（400000000 バイト）"),
        ({"descr": "|O", "fortran_order": False, "shape": (2,)}, "dtype object の配列です（pickle"),
    ],
)
def test_a_member_whose_header_declares_too_much_or_objects(tmp_path, header, message):
    """An honest small member whose .npy header claims 8 TiB or 400 MB, or an object array:
    refused from the header, without allocating."""
    path = tmp_path / "crafted.npz"
    save_checkpoint(path, {}, None, {"big": np.zeros(2)})
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(buffer, header)
    _rewrite(path, {"a0.npy": buffer.getvalue() + bytes(16)})
    with _allocating_at_most(500_000), pytest.raises(CheckpointError, match=message):
        load_checkpoint(path)
