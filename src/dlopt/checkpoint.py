"""Checkpoints: parameters, optimizer state and metadata in one ``.npz`` file, without pickle.

Arrays are stored as ``.npy`` members; everything else (keys, hyperparameters, step counts, floats,
metadata) goes into a JSON manifest stored as a string array. Loading uses ``allow_pickle=False``,
restores parameters in place, and checks that the file is complete.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["save_checkpoint", "load_checkpoint", "CheckpointError"]

FORMAT = "dlopt-checkpoint-1"


class CheckpointError(ValueError):
    """The checkpoint file is missing, truncated, corrupted, or does not fit the given objects."""


def _encode(value, arrays: dict[str, np.ndarray]):
    """Replace every array in ``value`` by a reference into ``arrays`` (JSON-ready)."""
    if isinstance(value, np.ndarray):
        name = f"a{len(arrays)}"
        arrays[name] = value
        return {"__array__": name}
    if isinstance(value, dict):
        return {str(k): _encode(v, arrays) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_encode(v, arrays) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def _decode(value, arrays):
    if isinstance(value, dict):
        if set(value) == {"__array__"}:
            return arrays[value["__array__"]]
        return {k: _decode(v, arrays) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v, arrays) for v in value]
    return value


def save_checkpoint(
    path, params: dict[str, Any], optimizer=None, metadata: dict | None = None
) -> None:
    """Save ``params``, ``optimizer.state_dict()`` and JSON-serializable ``metadata`` to ``path``.

    The file is written under a temporary name and then renamed, so a crash while saving never
    leaves a half-written checkpoint in place of the previous one.
    """
    arrays: dict[str, np.ndarray] = {}
    manifest = {
        "format": FORMAT,
        "params": _encode(dict(params), arrays),
        "optimizer": None if optimizer is None else {
            "class": type(optimizer).__name__,
            "state_dict": _encode(optimizer.state_dict(), arrays),
        },
        "metadata": _encode(metadata or {}, arrays),
    }
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    with open(partial, "wb") as f:  # a file object: np.savez would otherwise append ".npz"
        np.savez(f, __manifest__=np.array(json.dumps(manifest)), **arrays)
    os.replace(partial, path)


def load_checkpoint(path, params: dict[str, Any] | None = None, optimizer=None) -> dict[str, Any]:
    """Load a checkpoint; copy parameters into ``params`` in place and restore ``optimizer``.

    Returns the metadata dict. Raises ``CheckpointError`` naming the problem; everything is
    checked before anything is changed, so on error ``params`` and ``optimizer`` are untouched.
    """
    path = Path(path)
    saved = _read(path)
    if optimizer is not None:
        if saved["optimizer"] is None:
            raise CheckpointError(f"{path} holds no optimizer state")
        if saved["optimizer"]["class"] != type(optimizer).__name__:
            raise CheckpointError(
                f"{path} holds {saved['optimizer']['class']} state, not {type(optimizer).__name__}"
            )
    if params is not None:
        _check_params(path, params, saved["params"])
        for key, value in saved["params"].items():
            if isinstance(params[key], np.ndarray):
                params[key][...] = value
            else:  # a plain Python float cannot change in place: the entry is replaced
                params[key] = float(value)
    if optimizer is not None:
        try:
            optimizer.load_state_dict(saved["optimizer"]["state_dict"])
        except (KeyError, TypeError, ValueError) as error:
            raise CheckpointError(f"{path}: optimizer state does not load: {error}") from error
    return saved["metadata"]


def _read(path: Path) -> dict[str, Any]:
    """The manifest with its arrays in place; CheckpointError if the file is not a checkpoint."""
    with open(path, "rb") as f:  # a missing or unreadable path raises the usual OSError
        try:
            npz = np.load(f, allow_pickle=False)
            if not isinstance(npz, np.lib.npyio.NpzFile):
                raise CheckpointError(f"{path} holds a single array, not a checkpoint (.npz)")
            with npz:
                arrays = {name: npz[name] for name in npz.files}
        except CheckpointError:
            raise
        except Exception as error:  # damaged bytes fail in many ways: zip, CRC, .npy header, EOF...
            raise CheckpointError(
                f"{path} is not a readable checkpoint (truncated or corrupted?): {error!r}"
            ) from error
    if "__manifest__" not in arrays:
        raise CheckpointError(f"{path} has no manifest: it was not written by save_checkpoint")
    try:
        manifest = json.loads(str(arrays.pop("__manifest__")))
    except json.JSONDecodeError as error:
        raise CheckpointError(f"{path} has a corrupted manifest: {error}") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        found = manifest.get("format") if isinstance(manifest, dict) else manifest
        raise CheckpointError(f"{path} has format {found!r}, expected {FORMAT!r}")
    try:
        saved = _decode(manifest, arrays)
        for section in ("params", "optimizer", "metadata"):
            saved[section]  # noqa: B018  (KeyError if the manifest lacks a section)
    except KeyError as error:
        raise CheckpointError(f"{path} lacks {error}: not a complete dlopt checkpoint") from error
    return saved


def _check_params(path, params: dict, saved: dict) -> None:
    if set(params) != set(saved):
        raise CheckpointError(f"{path} has parameters {sorted(saved)}, expected {sorted(params)}")
    for key, value in saved.items():
        if np.shape(params[key]) != np.shape(value):
            raise CheckpointError(
                f"parameter {key!r} has shape {np.shape(value)} in {path}, "
                f"expected {np.shape(params[key])}"
            )
        if isinstance(params[key], np.ndarray) and isinstance(value, np.ndarray):
            if params[key].dtype != value.dtype:
                raise CheckpointError(
                    f"parameter {key!r} has dtype {value.dtype} in {path}, "
                    f"expected {params[key].dtype}"
                )
