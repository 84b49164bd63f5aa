"""dlopt.distributed: DDP with 2 gloo processes equals one process on the whole batch; the launcher's
error, timeout and argument paths; ZeRO halves Adam's state per rank; dlopt does not import torch."""

from __future__ import annotations

import subprocess
import sys
import time

import numpy as np
import pytest

pytest.importorskip("torch")

import dlopt  # noqa: E402
import dlopt.distributed as D  # noqa: E402


def _max_diff(a, b) -> float:
    return max(float(np.abs(x - y).max()) for x, y in zip(a, b, strict=True))


def test_import_dlopt_does_not_import_torch():
    code = "import sys, dlopt; print('torch' in sys.modules, 'dlopt.distributed' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_ddp_equals_one_process_on_the_concatenated_batch():
    data = dlopt.data.load_digits()
    rng = np.random.default_rng(1)
    steps, batch = 4, 48
    idx = np.stack([rng.choice(len(data.t_train), batch, replace=False) for _ in range(steps)])
    xs, ts = data.x_train[idx], data.t_train[idx]
    two = D.launch(D.train_steps, 2, args=(xs, ts, (64, 16, 10), 0.2, 0.9, 3), timeout=120)
    one = D.train_steps(0, 1, xs, ts, (64, 16, 10), 0.2, 0.9, 3)
    # the ranks agree exactly; DDP's averaged gradient and the parameters after k steps equal the
    # single process's to float64 round-off
    for p0, p1 in zip(two[0]["params"], two[1]["params"], strict=True):
        assert np.array_equal(p0, p1)
    assert _max_diff(two[0]["grads"], one["grads"]) < 1e-14
    assert _max_diff(two[0]["params"], one["params"]) < 1e-13
    assert all(p.dtype == np.float64 for p in one["params"])
    # and they are not trivially equal: one rank's half batch has another gradient, and the
    # parameters moved
    half = D.train_steps(0, 1, xs[:, : batch // 2], ts[:, : batch // 2], (64, 16, 10), 0.2, 0.9, 3)
    assert _max_diff(half["grads"], one["grads"]) > 1e-4
    start = D.train_steps(0, 1, xs[:0], ts[:0], (64, 16, 10), 0.2, 0.9, 3)  # zero steps
    assert start["grads"] is None
    assert _max_diff(start["params"], one["params"]) > 1e-3


def test_a_worker_that_raises_gives_a_clear_error_and_no_hang():
    begin = time.monotonic()
    with pytest.raises(D.WorkerError) as caught:
        D.launch(D.fail_on_rank, 2, timeout=60)
    assert time.monotonic() - begin < 30  # rank 0 waits in an all-reduce: it must not hang
    error = caught.value
    assert error.rank == 1
    first_line = str(error).splitlines()[0]
    assert "rank 1" in first_line and "ValueError" in first_line and "わざと" in first_line
    assert "fail_on_rank" in error.worker_traceback  # the worker's own traceback travels along


def test_the_failing_rank_can_be_rank_0():
    with pytest.raises(D.WorkerError) as caught:
        D.launch(D.fail_on_rank, 2, args=(0,), timeout=60)
    assert caught.value.rank == 0


def test_a_worker_that_never_finishes_times_out():
    # half a second is too short even to start the processes (each imports torch): the parent
    # must give up, stop the workers and say which ranks did not finish
    begin = time.monotonic()
    with pytest.raises(TimeoutError, match=r"0\.5 秒たってもワーカー（rank \[0, 1\]）"):
        D.launch(D.fail_on_rank, 2, args=(5,), timeout=0.5)
    assert time.monotonic() - begin < 20


def test_results_come_back_in_rank_order():
    assert D.launch(D.fail_on_rank, 2, args=(5,), timeout=60) == [0, 1]


def test_launch_refuses_functions_a_worker_cannot_import():
    def local(rank, world_size):
        return rank

    with pytest.raises(ValueError, match="モジュールの最上位"):
        D.launch(local, 2)
    with pytest.raises(ValueError, match="world_size"):
        D.launch(D.fail_on_rank, 0)
    with pytest.raises(ValueError, match="timeout"):
        D.launch(D.fail_on_rank, 2, timeout=0)


def test_arguments_that_cannot_be_pickled_are_refused_before_any_worker_starts():
    # the queue's feeder thread would only print the PicklingError: the workers would wait for the
    # whole timeout and the parent would report a misleading TimeoutError
    begin = time.monotonic()
    with pytest.raises(ValueError, match="pickle"):
        D.launch(D.fail_on_rank, 2, args=(lambda: 0,), timeout=60)
    assert time.monotonic() - begin < 5


def test_zero_halves_adams_state_per_rank():
    layers = (32, 32, 32, 32, 32)  # four equal layers: the greedy partition splits them evenly
    single = D.optimizer_state_bytes(0, 1, layers)
    assert single["state_bytes"] == 2 * single["param_bytes"]  # Adam: m and v
    sharded = D.launch(D.optimizer_state_bytes, 2, args=(layers,), timeout=120)
    for rank in sharded:
        assert rank["param_bytes"] == single["param_bytes"]  # every rank keeps all parameters
        assert rank["state_bytes"] == single["state_bytes"] // 2
    plain = D.launch(D.optimizer_state_bytes, 2, args=(layers, False), timeout=120)
    assert [r["state_bytes"] for r in plain] == [single["state_bytes"]] * 2


def test_free_port_is_a_port():
    port = D.free_port()
    assert isinstance(port, int) and 0 < port < 65536


def returns_a_lambda(rank, world_size):
    """A worker (importable by the spawned processes: this module is on their sys.path)."""
    return lambda: rank


def exits_without_a_word(rank, world_size):
    import os

    os._exit(0 if rank == 0 else 3)


def test_a_result_that_cannot_be_pickled_is_the_workers_error():
    with pytest.raises(D.WorkerError, match="rank [01] のワーカーで例外が起きました") as caught:
        D.launch(returns_a_lambda, 2, timeout=60)
    assert "pickle" in caught.value.worker_traceback.lower()


def test_a_worker_that_dies_silently_is_reported_not_waited_for():
    begin = time.monotonic()
    with pytest.raises(D.WorkerError, match="報告せずに終了しました"):
        D.launch(exits_without_a_word, 2, timeout=60)
    assert time.monotonic() - begin < 30
