r"""Data parallelism with ``torch.distributed`` (gloo) on one machine, started from a notebook.

``launch(fn, world_size, args)`` starts ``world_size`` worker processes with the *spawn* start method
(as Colab and Jupyter need), joins them in one process group on a free localhost port, runs
``fn(rank, world_size, *args)`` in each, and returns their results to the parent as a list (rank
order). The results travel through a pipe, so they must be plain, picklable data (numbers, lists,
dicts, numpy arrays), never tensors that share memory. A worker's exception becomes a
``WorkerError`` in the parent that names the rank and carries the worker's traceback; a run that
does not finish within ``timeout`` seconds becomes a ``TimeoutError``. Either way every worker is
stopped and nothing is left running; a worker always leaves the process group with
``destroy_process_group``.

With the spawn start method a worker imports ``fn`` by its module and name, so ``fn`` must be a
function of an importable module (such as this one), never one defined in a notebook cell. The
workers of the chapter ``distributed`` are here:

- ``train_steps``: k steps of SGD with momentum on an MLP, wrapped in ``DistributedDataParallel``
  when a process group exists (each rank takes its contiguous share of every global batch), or
  on the whole batch in one process;
- ``time_steps``: the time of one training step, and of one all-reduce of the gradients;
- ``optimizer_state_bytes``: the bytes of Adam's state on each rank, with or without
  ``ZeroRedundancyOptimizer``;
- ``fail_on_rank``: a worker that raises on one rank (the error path).

This module imports torch; ``import dlopt`` does not import it.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import pickle
import queue as queue_module
import socket
import time
import traceback
from collections.abc import Callable, Sequence

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F

__all__ = [
    "WorkerError",
    "free_port",
    "launch",
    "make_mlp",
    "train_steps",
    "time_steps",
    "optimizer_state_bytes",
    "fail_on_rank",
]


class WorkerError(RuntimeError):
    """A worker raised: ``rank`` is the rank that failed first, ``worker_traceback`` its traceback."""

    def __init__(self, message: str, rank: int, worker_traceback: str) -> None:
        super().__init__(message)
        self.rank = rank
        self.worker_traceback = worker_traceback


def free_port() -> int:
    """A TCP port on localhost that is free now (the OS picks it); another program may take it later.

    ``launch`` does not use it: it keeps its port open from the start (see there)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _worker(rank, world_size, port, backend, timeout, tasks, results) -> None:
    """The body of one worker process: join the group, run fn, report, always leave the group."""
    os.environ["MASTER_ADDR"] = "127.0.0.1"
    os.environ["MASTER_PORT"] = str(port)
    torch.set_num_threads(1)  # one core per process: N processes share the machine fairly
    try:
        fn, args = pickle.loads(tasks.get(timeout=timeout))  # a queue: start() never blocks on big args
        wait = datetime.timedelta(seconds=timeout)
        # the parent holds the store's server on this port: connect to it as a client
        store = dist.TCPStore("127.0.0.1", port, world_size, is_master=False, timeout=wait)
        dist.init_process_group(backend, store=store, rank=rank, world_size=world_size, timeout=wait)
        # pickled here, not in the queue's thread: a result that cannot travel is an error of this rank
        results.put(("ok", rank, pickle.dumps(fn(rank, world_size, *args))))
    except BaseException as error:  # report everything, KeyboardInterrupt included
        results.put(("error", rank, f"{type(error).__name__}: {error}", traceback.format_exc()))
    finally:
        # the message must be in the pipe before this rank leaves the group: the other ranks fail
        # when it leaves, and their errors must not overtake the cause
        results.close()
        results.join_thread()
        if dist.is_initialized():
            with contextlib.suppress(Exception):
                dist.destroy_process_group()


def launch(
    fn: Callable,
    world_size: int = 2,
    args: Sequence = (),
    timeout: float = 60.0,
    backend: str = "gloo",
) -> list:
    """Run ``fn(rank, world_size, *args)`` in ``world_size`` spawned processes and return the results.

    The processes form one ``torch.distributed`` process group (``backend``, default gloo, which
    runs on CPUs); they meet at a ``TCPStore`` that this process opens on a localhost port the OS picks
    and keeps open until the end, so that no other program can take the port in between.
    Returns ``[result of rank 0, result of rank 1, ...]``.
    Raises ``WorkerError`` when a worker raises (the first failing rank and its traceback),
    ``TimeoutError`` when the workers have not all finished after ``timeout`` seconds; in both
    cases the remaining workers are terminated before the error reaches the caller.
    """
    import multiprocessing

    if not callable(fn) or getattr(fn, "__module__", "__main__") == "__main__" or "<locals>" in getattr(
        fn, "__qualname__", ""
    ):
        raise ValueError(
            "fn はモジュールの最上位で定義した関数でなければなりません（spawn で起動した"
            "ワーカーは fn をモジュール名と関数名で import します。ノートブックのセルで定義した関数や"
            f"入れ子の関数は使えません）: fn={fn!r}"
        )
    if isinstance(world_size, bool) or not isinstance(world_size, int) or world_size < 1:
        raise ValueError(f"world_size は 1 以上の整数です（world_size={world_size!r} が渡されました）")
    if not timeout > 0:
        raise ValueError(f"timeout は正の秒数です（timeout={timeout!r} が渡されました）")
    try:  # here, not in the queue's feeder thread, which would only print the error and drop the task
        payload = pickle.dumps((fn, tuple(args)))
    except Exception as error:
        raise ValueError(
            "fn と args はワーカーに送るために pickle できなければなりません（lambda や入れ子の関数、"
            f"開いたファイルなどは送れません）: {type(error).__name__}: {error}"
        ) from error
    context = multiprocessing.get_context("spawn")
    tasks, results = context.Queue(), context.Queue()
    # the parent opens the rendezvous (a TCPStore server on a port the OS picks) and keeps it until the
    # end: no other program can take the port between choosing it and the workers' start
    store = dist.TCPStore(
        "127.0.0.1", 0, world_size, is_master=True, wait_for_workers=False,
        timeout=datetime.timedelta(seconds=timeout),
    )
    port = store.port
    processes = [
        context.Process(
            target=_worker, args=(rank, world_size, port, backend, timeout, tasks, results), daemon=True
        )
        for rank in range(world_size)
    ]
    try:
        for process in processes:
            process.start()
        for _ in processes:
            tasks.put(payload)
        return _collect(processes, results, world_size, timeout)
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()
        for process in processes:
            if process.pid is not None:
                process.join(5)
            if process.is_alive():
                process.kill()
                process.join()
        tasks.cancel_join_thread()  # tasks never read by a worker that died must not block the exit
        tasks.close()
        results.close()
        del store  # closes the rendezvous server


def _collect(processes, results, world_size: int, timeout: float) -> list:
    """Wait for every rank's message; raise at the first error (after a short grace for its cause)."""
    deadline = time.monotonic() + timeout
    outputs: dict[int, object] = {}
    errors: list[tuple] = []
    while len(outputs) + len(errors) < world_size:
        now = time.monotonic()
        if now > deadline:
            missing = sorted(set(range(world_size)) - set(outputs) - {e[1] for e in errors})
            raise TimeoutError(
                f"{timeout:g} 秒たってもワーカー（rank {missing}）が終わりません。"
                "集団通信で相手を待ち続けている（呼び出す回数が rank によって違う）可能性があります"
            )
        try:
            message = results.get(timeout=0.05)
        except queue_module.Empty:
            silent = [
                rank
                for rank, process in enumerate(processes)
                if process.exitcode is not None and rank not in outputs
                and rank not in {e[1] for e in errors}
            ]
            if silent and results.empty():
                rank = silent[0]
                code = processes[rank].exitcode
                raise WorkerError(
                    f"rank {rank} のワーカーが報告せずに終了しました（終了コード {code}）。"
                    "ワーカーの標準エラー出力を確かめてください",
                    rank,
                    "",
                ) from None
            if errors and time.monotonic() > errors[0][-1]:
                break
            continue
        if message[0] == "ok":
            outputs[message[1]] = pickle.loads(message[2])
        else:
            # the other ranks usually fail next, inside a collective, because this rank left:
            # wait a moment for them and report the error that came first (the cause)
            errors.append((*message, time.monotonic() + 1.0))
    if errors:
        _, rank, summary, worker_traceback, _ = errors[0]
        others = "".join(f"\n（rank {e[1]} も失敗: {e[2]}）" for e in errors[1:])
        raise WorkerError(
            f"rank {rank} のワーカーで例外が起きました: {summary}{others}\n"
            f"--- rank {rank} のトレースバック ---\n{worker_traceback}",
            rank,
            worker_traceback,
        )
    return [outputs[rank] for rank in range(world_size)]


# --- the workers of the chapter ----------------------------------------------------------------


def make_mlp(sizes: Sequence[int], seed: int = 0, dtype=torch.float64) -> torch.nn.Sequential:
    """Linear → ReLU → … → Linear with the layer sizes ``sizes``; ``seed`` fixes the initial weights."""
    torch.manual_seed(seed)
    layers: list[torch.nn.Module] = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
        if i > 0:
            layers.append(torch.nn.ReLU())
        layers.append(torch.nn.Linear(n_in, n_out))
    return torch.nn.Sequential(*layers).to(dtype)


def train_steps(rank, world_size, x, t, sizes=(64, 64, 10), lr=0.1, momentum=0.9, seed=0):
    """``len(x)`` steps of SGD with momentum; x[k], t[k] is the global batch of step k (numpy).

    In a process group the model is wrapped in ``DistributedDataParallel`` and this rank trains on
    its contiguous share of every global batch; without one (``world_size=1``, called directly)
    it trains on the whole batch. Returns the gradients of the first step (after DDP's averaging)
    and the parameters after the last step, as numpy arrays.
    """
    model = make_mlp(sizes, seed)
    if dist.is_initialized():
        model = torch.nn.parallel.DistributedDataParallel(model)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
    share = x.shape[1] // world_size  # the global batch must split evenly
    mine = slice(rank * share, (rank + 1) * share)
    first_grads = None
    for xb, tb in zip(x, t, strict=True):
        optimizer.zero_grad()
        scores = model(torch.from_numpy(xb[mine]))
        F.cross_entropy(scores, torch.from_numpy(tb[mine])).backward()  # DDP: all-reduce here
        if first_grads is None:
            first_grads = [p.grad.numpy().copy() for p in model.parameters()]
        optimizer.step()
    params = [p.detach().numpy().copy() for p in model.parameters()]
    return {"grads": first_grads, "params": params}


def time_steps(rank, world_size, sizes=(64, 512, 512, 10), global_batch=512, repeats=20, seed=0):
    """Median seconds of one DDP training step (float32, each rank takes global_batch / world_size
    examples) and of one all-reduce of a tensor as large as all the gradients."""
    model = torch.nn.parallel.DistributedDataParallel(make_mlp(sizes, seed, torch.float32))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    rng = np.random.default_rng(seed + rank)
    share = global_batch // world_size
    x = torch.from_numpy(rng.standard_normal((share, sizes[0]), dtype=np.float32))
    t = torch.from_numpy(rng.integers(0, sizes[-1], share))
    flat = torch.zeros(sum(p.numel() for p in model.parameters()))

    def step():
        optimizer.zero_grad()
        F.cross_entropy(model(x), t).backward()
        optimizer.step()

    step_times, reduce_times = [], []
    for _ in range(repeats + 2):  # the first two are warm-up
        dist.barrier()
        start = time.perf_counter()
        step()
        step_times.append(time.perf_counter() - start)
        dist.barrier()
        start = time.perf_counter()
        dist.all_reduce(flat)
        reduce_times.append(time.perf_counter() - start)
    return {
        "step": float(np.median(step_times[2:])),
        "all_reduce": float(np.median(reduce_times[2:])),
        "grad_bytes": flat.numel() * flat.element_size(),
    }


def optimizer_state_bytes(rank, world_size, sizes=(256, 256, 256, 256, 256), zero=True, seed=0):
    """Bytes of the parameters and of Adam's state (exp_avg and exp_avg_sq) on this rank after one
    step; ``zero=True`` shards the state with ``ZeroRedundancyOptimizer``. Called without a process
    group (one process, ``world_size=1``), it measures a plain ``torch.optim.Adam``."""
    from torch.distributed.optim import ZeroRedundancyOptimizer

    model = make_mlp(sizes, seed, torch.float32)
    if dist.is_initialized():
        model = torch.nn.parallel.DistributedDataParallel(model)
    if zero and dist.is_initialized():
        optimizer = ZeroRedundancyOptimizer(model.parameters(), optimizer_class=torch.optim.Adam, lr=1e-3)
        local = optimizer.optim  # the Adam that holds this rank's shard
    else:
        optimizer = local = torch.optim.Adam(model.parameters(), lr=1e-3)
    torch.manual_seed(seed + rank)
    x, t = torch.randn(8, sizes[0]), torch.randint(0, sizes[-1], (8,))
    F.cross_entropy(model(x), t).backward()
    optimizer.step()
    state = sum(
        value.numel() * value.element_size()
        for per_param in local.state.values()
        for key, value in per_param.items()
        if key in ("exp_avg", "exp_avg_sq")
    )
    params = sum(p.numel() * p.element_size() for p in model.parameters())
    return {"param_bytes": params, "state_bytes": state}


def fail_on_rank(rank, world_size, bad_rank=1):
    """Raise ``ValueError`` on ``bad_rank`` while the other ranks wait in an all-reduce."""
    if rank == bad_rank:
        raise ValueError(f"rank {rank} でわざと起こしたエラーです")
    dist.all_reduce(torch.ones(1))
    return rank
