"""Checkpoints: parameters, optimizer state and metadata in one ``.npz`` file, without pickle.

Arrays are stored as ``.npy`` members; everything else (keys, hyperparameters, step counts, floats,
metadata) goes into a JSON manifest stored as a string array. Loading uses ``allow_pickle=False``,
restores parameters in place, and checks that the file is complete.
"""

from __future__ import annotations

import json
import zipfile
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


def save_checkpoint(path, params: dict[str, Any], optimizer=None, metadata: dict | None = None) -> None:
    """Save ``params``, ``optimizer.state_dict()`` and JSON-serializable ``metadata`` to ``path``."""
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
    with open(path, "wb") as f:  # an open file: np.savez would otherwise append ".npz" to the name
        np.savez(f, __manifest__=np.array(json.dumps(manifest)), **arrays)


def load_checkpoint(path, params: dict[str, Any] | None = None, optimizer=None) -> dict[str, Any]:
    """Load a checkpoint; copy parameters into ``params`` in place and restore ``optimizer``.

    Returns the metadata dict. Raises ``CheckpointError`` naming the problem.
    """
    path = Path(path)
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}
    except FileNotFoundError:
        raise
    except (zipfile.BadZipFile, EOFError, ValueError, OSError, KeyError) as error:
        raise CheckpointError(f"{path} is not a readable checkpoint (truncated or corrupted?): {error}") from error
    if "__manifest__" not in arrays:
        raise CheckpointError(f"{path} has no manifest: it was not written by save_checkpoint")
    try:
        manifest = json.loads(str(arrays.pop("__manifest__")))
    except json.JSONDecodeError as error:
        raise CheckpointError(f"{path} has a corrupted manifest: {error}") from error
    if manifest.get("format") != FORMAT:
        raise CheckpointError(f"{path} has format {manifest.get('format')!r}, expected {FORMAT!r}")
    try:
        saved = _decode(manifest, arrays)
    except KeyError as error:
        raise CheckpointError(f"{path} is missing the array {error} (truncated?)") from error
    if params is not None:
        _restore_params(path, params, saved["params"])
    if optimizer is not None:
        if saved["optimizer"] is None:
            raise CheckpointError(f"{path} holds no optimizer state")
        if saved["optimizer"]["class"] != type(optimizer).__name__:
            raise CheckpointError(
                f"{path} holds {saved['optimizer']['class']} state, not {type(optimizer).__name__}"
            )
        optimizer.load_state_dict(saved["optimizer"]["state_dict"])
    return saved["metadata"]


def _restore_params(path, params: dict, saved: dict) -> None:
    if set(params) != set(saved):
        raise CheckpointError(f"{path} has parameters {sorted(saved)}, expected {sorted(params)}")
    for key, value in saved.items():
        if isinstance(params[key], np.ndarray):
            if params[key].shape != np.shape(value):
                raise CheckpointError(
                    f"parameter {key!r} has shape {np.shape(value)} in {path}, expected {params[key].shape}"
                )
            params[key][...] = value
        else:
            params[key] = value
