"""Checkpoints: parameters, optimizer state and metadata in one ``.npz`` file, without pickle.

Arrays are stored as ``.npy`` members; everything else goes into a JSON manifest (the member
``__manifest__``). In its sections every JSON object is a tag that user data cannot produce:
``{"array": "a3"}`` refers to a member, ``{"dict": [[key, value], ...]}`` is a dict (keys must be
str), ``{"tuple": [...]}`` a tuple; a JSON list is a list. So dicts, lists, tuples, str, int, float,
bool, None and arrays come back exactly (numpy scalars come back as Python numbers).

Saving checks everything before it writes, writes under a unique temporary name in the same
directory, and renames: concurrent saves never mix, a failed save leaves the previous file as it was.
Loading bounds what the file may declare (``max_bytes``), refuses object arrays, checks everything
(parameters, and the optimizer's state with ``check_state_dict``) and only then changes anything.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import uuid
import zipfile
from numbers import Real
from pathlib import Path
from typing import Any

import numpy as np

from . import validation

__all__ = ["save_checkpoint", "load_checkpoint", "CheckpointError"]

FORMAT = "dlopt-checkpoint-2"
_HEADER_READERS = {(1, 0): np.lib.format.read_array_header_1_0, (2, 0): np.lib.format.read_array_header_2_0}


class CheckpointError(ValueError):
    """The checkpoint file is missing, truncated, corrupted, or does not fit the given objects."""


def _number_dtype(value: Any) -> np.dtype | None:
    """The dtype of an array of numbers or of a plain number (float64); None for anything else."""
    if isinstance(value, np.ndarray):
        return value.dtype if value.dtype.kind in "fiu" else None
    return np.dtype(float) if isinstance(value, Real) and not isinstance(value, bool) else None


def _encode(value: Any, arrays: dict[str, np.ndarray], where: str):
    """``value`` as tagged JSON data, its arrays moved into ``arrays``; TypeError naming ``where``
    for anything that could not be loaded back."""
    if isinstance(value, np.ndarray):
        if value.dtype.hasobject or value.dtype.names is not None:
            raise TypeError(
                f"{where} は dtype {value.dtype} の配列なので保存できません"
                "（object 配列は pickle が要り、構造化配列は扱いません）"
            )
        name = f"a{len(arrays)}"
        arrays[name] = value
        return {"array": name}
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, dict):
        for key in value:
            if not isinstance(key, str):
                raise TypeError(
                    f"{where} のキー {key!r}（{type(key).__name__}）は str ではないので保存できません"
                    "（読み込めるのは str のキーだけです）"
                )
        return {"dict": [[k, _encode(v, arrays, f"{where}[{k!r}]")] for k, v in value.items()]}
    if isinstance(value, (list, tuple)):
        items = [_encode(v, arrays, f"{where}[{i}]") for i, v in enumerate(value)]
        return {"tuple": items} if isinstance(value, tuple) else items
    if value is None or isinstance(value, (str, int, float)):  # bool is an int
        return value
    raise TypeError(
        f"{where} の値（{type(value).__name__}）は保存できません。保存できるのは数・str・True/False/None、"
        "list・tuple、str キーの dict、numpy 配列です"
    )


def _decode(value, arrays: dict[str, np.ndarray], path: Path):
    if isinstance(value, list):
        return [_decode(v, arrays, path) for v in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        ((tag, body),) = value.items()
        if tag == "array" and isinstance(body, str) and body in arrays:
            return arrays[body]
        if tag == "tuple" and isinstance(body, list):
            return tuple(_decode(v, arrays, path) for v in body)
        if (
            tag == "dict"
            and isinstance(body, list)
            and all(isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str) for pair in body)
        ):
            return {key: _decode(v, arrays, path) for key, v in body}
    raise CheckpointError(
        f"チェックポイント {path} のマニフェストが壊れています（読めない項目 {value!r:.80}）"
    )


def save_checkpoint(path, params: dict[str, Any], optimizer=None, metadata: dict | None = None) -> None:
    """Save ``params``, ``optimizer.state_dict()`` and ``metadata`` to ``path``.

    Everything is checked before anything is written: a key that is not a str, a parameter that is
    not an array or a number, or a value that cannot be stored raises ``TypeError`` naming it. The
    file is written under a unique temporary name, flushed to disk and renamed, so a crash or a
    concurrent save never leaves a half-written checkpoint; a failed save removes its temporary file.
    """
    if not isinstance(params, dict) or not isinstance(metadata, (dict, type(None))):
        raise TypeError(
            f"params と metadata は dict です（{type(params).__name__} と {type(metadata).__name__}）"
        )
    for key, value in params.items():
        if _number_dtype(value) is None:
            raise TypeError(f"パラメータ {key!r} は数の配列か数です（{type(value).__name__} が渡されました）")
    arrays: dict[str, np.ndarray] = {}
    manifest = {
        "format": FORMAT,
        "params": _encode(params, arrays, "params"),
        "optimizer": None if optimizer is None else _encode(optimizer.state_dict(), arrays, "optimizer"),
        "metadata": _encode(metadata or {}, arrays, "metadata"),
    }
    arrays["__manifest__"] = np.array(json.dumps(manifest))
    path = Path(path)
    temporary = path.with_name(f"{path.name}.{uuid.uuid4().hex}.tmp")  # unique: saves never share it
    file = open(temporary, "xb")  # a file object: np.savez would otherwise append ".npz"
    try:
        with file:
            np.savez(file, **arrays)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(temporary)
        raise


def load_checkpoint(
    path, params: dict[str, Any] | None = None, optimizer=None, *, max_bytes: int = 2**32
) -> dict[str, Any]:
    """Load a checkpoint; copy parameters into ``params`` in place and restore ``optimizer``.

    Returns the metadata dict. Raises ``CheckpointError`` naming the problem. Everything is read and
    checked first, so on error ``params`` and ``optimizer`` are untouched. A file whose arrays would
    take more than ``max_bytes`` bytes (4 GiB by default) is refused before anything is allocated.
    """
    path = Path(path)
    saved = _read(path, validation.count("max_bytes", max_bytes))
    staged = {} if params is None else _stage_params(path, params, saved["params"])
    if optimizer is not None:
        _check_optimizer(path, optimizer, saved["optimizer"])
        optimizer.load_state_dict(saved["optimizer"])  # checked above: it cannot fail now
    for key, value in staged.items():
        validation.write_back(params, key, value)
    return saved["metadata"]


def _read(path: Path, max_bytes: int) -> dict[str, Any]:
    """The manifest's sections with their arrays in place; CheckpointError if the file is not a
    checkpoint."""
    with open(path, "rb") as f:  # a missing or unreadable path raises the usual OSError
        if f.read(6) == b"\x93NUMPY":
            raise CheckpointError(
                f"{path} は配列 1 つの .npy ファイルで、チェックポイント（.npz）ではありません"
            )
        try:
            with zipfile.ZipFile(f) as archive:
                arrays = _read_arrays(path, archive, max_bytes)
        except CheckpointError:
            raise
        except Exception as error:  # damaged bytes fail in many ways: zip, CRC, .npy header, EOF...
            raise CheckpointError(
                f"チェックポイント {path} を読めません（途中で切れているか壊れています）: {error!r}"
            ) from error
    text = arrays.pop("__manifest__", None)
    if text is None or text.shape != () or text.dtype.kind != "U":
        raise CheckpointError(
            f"{path} にマニフェストがありません。save_checkpoint で書いたファイルではありません"
        )
    try:
        manifest = json.loads(str(text))
        found = manifest.get("format") if isinstance(manifest, dict) else manifest
        if found != FORMAT:
            raise CheckpointError(
                f"{path} の形式は {found!r} で、{FORMAT!r} ではありません"
                "（dlopt-checkpoint-1 の古いファイルは読み込めないので、保存し直してください）"
            )
        saved = {
            section: _decode(manifest[section], arrays, path)
            for section in ("params", "optimizer", "metadata")
        }
    except KeyError as error:
        raise CheckpointError(
            f"{path} のマニフェストに {error} がありません（不完全なチェックポイント）"
        ) from error
    except (json.JSONDecodeError, RecursionError) as error:
        raise CheckpointError(f"{path} のマニフェストが壊れています: {error!r}") from error
    if not isinstance(saved["params"], dict) or not isinstance(saved["metadata"], dict):
        raise CheckpointError(
            f"{path} のマニフェストが壊れています（params と metadata が dict ではありません）"
        )
    return saved


def _read_arrays(path: Path, archive: zipfile.ZipFile, max_bytes: int) -> dict[str, np.ndarray]:
    """Every member, each checked against what the zip and its .npy header declare before any of
    it is read: the total within ``max_bytes``, no object arrays, no array bigger than its member."""
    declared = sum(info.file_size for info in archive.infolist())
    if declared > max_bytes:
        raise CheckpointError(
            f"{path} の中身は展開すると {declared} バイトで、上限 max_bytes={max_bytes} を超えます"
        )
    arrays = {}
    for info in archive.infolist():
        with archive.open(info) as member:
            version = np.lib.format.read_magic(member)
            if version not in _HEADER_READERS:
                raise CheckpointError(f"{path} の {info.filename} は .npy 形式 {version} で、読み込めません")
            shape, _, dtype = _HEADER_READERS[version](member)
        nbytes = math.prod(shape) * dtype.itemsize
        if dtype.hasobject:
            raise CheckpointError(
                f"{path} の {info.filename} は dtype object の配列です（pickle が要るので読みません）"
            )
        if nbytes > info.file_size:
            raise CheckpointError(
                f"{path} の {info.filename} は形 {shape}・dtype {dtype}（{nbytes} バイト）と"
                f"宣言していますが、中身は {info.file_size} バイトしかありません"
            )
        with archive.open(info) as member:
            arrays[info.filename.removesuffix(".npy")] = np.lib.format.read_array(member, allow_pickle=False)
            if member.read(1):  # reading to the end also checks the CRC
                raise CheckpointError(f"{path} の {info.filename} は配列のあとに余分なバイトがあります")
    return arrays


def _stage_params(path: Path, params: dict, saved: dict) -> dict[str, Any]:
    """The saved value of every parameter, checked to fit ``params``; raises naming the key."""
    if set(params) != set(saved):
        raise CheckpointError(
            f"チェックポイント {path} のパラメータ {sorted(saved)} が、"
            f"渡された params の {sorted(params)} と違います"
        )
    for key, value in saved.items():
        target, dtype = params[key], _number_dtype(value)
        where = f"チェックポイント {path} のパラメータ {key!r}"
        if dtype is None:
            raise CheckpointError(f"{where} が数の配列でも数でもありません（{type(value).__name__}）")
        if not isinstance(target, np.ndarray) and _number_dtype(target) is None:
            raise CheckpointError(f"渡された params[{key!r}] は配列か数です（{type(target).__name__}）")
        if np.shape(value) != np.shape(target):
            raise CheckpointError(
                f"{where} の形 {np.shape(value)} が、渡された params の形 {np.shape(target)} と違います"
            )
        if isinstance(target, np.ndarray) and dtype != target.dtype:
            raise CheckpointError(
                f"{where} の dtype {dtype} が、渡された params の dtype {target.dtype} と違います"
            )
        if isinstance(target, np.ndarray) and not target.flags.writeable:
            raise CheckpointError(f"渡された params[{key!r}] は読み取り専用の配列なので、読み込めません")
    return {key: v if isinstance(params[key], np.ndarray) else float(v) for key, v in saved.items()}


def _check_optimizer(path: Path, optimizer, state_dict) -> None:
    """``optimizer.check_state_dict`` on the saved state, its errors as CheckpointError."""
    if state_dict is None:
        raise CheckpointError(f"{path} には最適化手法（optimizer）の状態がありません")
    found = state_dict.get("class") if isinstance(state_dict, dict) else type(state_dict).__name__
    expected = type(optimizer).__name__
    if found != expected:
        raise CheckpointError(f"{path} は {found} の状態を持っています。{expected} には読み込めません")
    try:
        optimizer.check_state_dict(state_dict)
    except (KeyError, TypeError, ValueError) as error:
        raise CheckpointError(f"{path} の最適化手法の状態を読み込めません: {error}") from error
