"""Speed of one optimizer step: dlopt (numpy) against torch.optim on the CPU.

Run by hand, not in CI (see benchmarks/README.md)::

    .venv/bin/python benchmarks/optimizers.py            # everything, about 1 minute
    .venv/bin/python benchmarks/optimizers.py --quick    # fewer repetitions, for a smoke test

For N = 1e4 ... 1e7 float32 parameters, stored as one array and as 100 arrays of N/100 elements,
one step of dlopt's Momentum, Adam and AdamW is timed against torch.optim's SGD(momentum=0.9),
Adam and AdamW, both in torch's default CPU mode (foreach=None) and with fused=True.
The three implementations are timed round-robin (one step each, repeated), so that a slow phase
of the machine hits all of them alike; the table reports medians. torch keeps its default number
of threads (printed in the header): numpy's elementwise operations use one thread.

Before the table the script checks which torch code path each configuration really runs and that
dlopt and torch compute the same numbers. After it, it measures the memory bandwidth and the cost of
one numpy pass in the cache (what bounds every implementation at large N), what each speed-up inside
dlopt is worth, and (on Linux) the same Adam step in a fresh interpreter with and without the malloc
hint of dlopt.optimizers. The whole run takes about a minute on a quiet 2-core machine.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
import dlopt  # noqa: E402  (the source tree, also when dlopt is not installed)

SIZES = [10**4, 10**5, 10**6, 10**7]
LAYOUTS = [1, 100]  # number of arrays the N parameters are split into
BOOK_SIZE = 5 * 10**4  # the book's models have at most a few 1e4 parameters per array
LR = 1e-3

# (name in the table, dlopt factory, torch factory)
OPTIMIZERS = [
    (
        "Momentum",
        lambda: dlopt.Momentum(lr=LR, momentum=0.9),
        lambda ps, **kw: torch.optim.SGD(ps, lr=LR, momentum=0.9, **kw),
    ),
    ("Adam", lambda: dlopt.Adam(lr=LR), lambda ps, **kw: torch.optim.Adam(ps, lr=LR, **kw)),
    ("AdamW", lambda: dlopt.AdamW(lr=LR), lambda ps, **kw: torch.optim.AdamW(ps, lr=LR, **kw)),
]
TORCH_MODES = {"torch default": {}, "torch fused": {"fused": True}}


# ---------------------------------------------------------------------------------------------
# problem set-up


def make_problem(n: int, arrays: int, seed: int = 0) -> tuple[dict, dict]:
    """float32 parameters and gradients: ``arrays`` arrays with ``n`` elements in total."""
    rng = np.random.default_rng(seed)
    params, grads = {}, {}
    for i in range(arrays):
        size = n // arrays
        params[f"p{i}"] = rng.standard_normal(size, dtype=np.float32)
        grads[f"p{i}"] = rng.standard_normal(size, dtype=np.float32)
    return params, grads


def dlopt_stepper(make_opt, params, grads):
    params = {k: v.copy() for k, v in params.items()}
    grads = {k: v.copy() for k, v in grads.items()}
    opt = make_opt()
    return lambda: opt.update(params, grads), params


def torch_stepper(make_opt, params, grads, **mode):
    tensors = []
    for key, value in params.items():
        t = torch.from_numpy(value.copy())
        t.grad = torch.from_numpy(grads[key].copy())
        tensors.append(t)
    opt = make_opt(tensors, **mode)
    return opt.step, tensors


# ---------------------------------------------------------------------------------------------
# checks before timing


def torch_code_paths() -> dict[tuple[str, str], str]:
    """Which torch function really runs one step, found by counting calls to the candidates."""
    import torch.optim.adam as adam_module
    import torch.optim.sgd as sgd_module

    calls: Counter = Counter()
    patched = []
    for module in (sgd_module, adam_module):
        for name in dir(module):
            if name.startswith(("_single_tensor_", "_multi_tensor_", "_fused_")):
                original = getattr(module, name)
                if not callable(original):
                    continue

                def counting(*args, _original=original, _name=name, **kwargs):
                    calls[_name] += 1
                    return _original(*args, **kwargs)

                patched.append((module, name, original))
                setattr(module, name, counting)
    paths = {}
    try:
        params, grads = make_problem(1000, 2)
        for name, _, make_torch in OPTIMIZERS:
            for mode, kwargs in TORCH_MODES.items():
                calls.clear()
                step, _ = torch_stepper(make_torch, params, grads, **kwargs)
                step()
                paths[name, mode] = ", ".join(sorted(calls)) or "?"
    finally:
        for module, name, original in patched:
            setattr(module, name, original)
    return paths


def check_same_numbers(steps: int = 5) -> float:
    """dlopt and both torch modes agree (float32, 5 steps): we time the same computation."""
    params, grads = make_problem(3000, 3, seed=1)
    worst = 0.0
    for _, make_dlopt, make_torch in OPTIMIZERS:
        step, ours = dlopt_stepper(make_dlopt, params, grads)
        for _ in range(steps):
            step()
        for kwargs in TORCH_MODES.values():
            tstep, theirs = torch_stepper(make_torch, params, grads, **kwargs)
            for _ in range(steps):
                tstep()
            for (key, a), t in zip(ours.items(), theirs, strict=True):
                np.testing.assert_allclose(a, t.numpy(), rtol=1e-5, atol=1e-6, err_msg=key)
                worst = max(worst, float(np.max(np.abs(a - t.numpy()))))
    return worst


# ---------------------------------------------------------------------------------------------
# timing


def round_robin(steppers: dict, min_seconds: float, min_reps: int, max_reps: int) -> dict:
    """Median time (µs) of one call of each stepper; the steppers take turns, one call each."""
    for step in steppers.values():  # warm-up: creates the state; t = 1 is a special case
        step()
        step()
    start = time.perf_counter()
    for step in steppers.values():
        step()
    per_round = time.perf_counter() - start
    reps = int(min(max_reps, max(min_reps, min_seconds / max(per_round, 1e-9))))
    times: dict = {name: [] for name in steppers}
    for _ in range(reps):
        for name, step in steppers.items():
            t0 = time.perf_counter_ns()
            step()
            times[name].append(time.perf_counter_ns() - t0)
    return {name: statistics.median(t) / 1e3 for name, t in times.items()} | {"reps": reps}


def main_table(min_seconds: float, min_reps: int) -> list[dict]:
    rows = []
    for n in SIZES:
        for arrays in LAYOUTS:
            params, grads = make_problem(n, arrays)
            for name, make_dlopt, make_torch in OPTIMIZERS:
                steppers = {"dlopt": dlopt_stepper(make_dlopt, params, grads)[0]}
                for mode, kwargs in TORCH_MODES.items():
                    steppers[mode] = torch_stepper(make_torch, params, grads, **kwargs)[0]
                result = round_robin(steppers, min_seconds, min_reps, max_reps=2000)
                rows.append({"N": n, "arrays": arrays, "optimizer": name} | result)
                del steppers
                print(".", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return rows


def print_table(rows: list[dict]) -> None:
    print("| N | arrays | optimizer | dlopt µs | torch default µs | torch fused µs "
          "| dlopt / default | dlopt / fused | reps |")
    print("|---:|---:|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['N']:.0e} | {r['arrays']} | {r['optimizer']} | {r['dlopt']:,.0f} "
            f"| {r['torch default']:,.0f} | {r['torch fused']:,.0f} "
            f"| {r['dlopt'] / r['torch default']:.2f} | {r['dlopt'] / r['torch fused']:.2f} "
            f"| {r['reps']} |"
        )


def print_targets(rows: list[dict]) -> None:
    """The issue's targets, judged from the table just measured."""

    def verdict(ok: bool) -> str:
        return "met" if ok else "NOT met"

    print("\nTargets (judged from the table above):")
    book = [r for r in rows if r["N"] // r["arrays"] <= BOOK_SIZE]
    worst = max(book, key=lambda r: r["dlopt"] / r["torch default"])
    ratio = worst["dlopt"] / worst["torch default"]
    print(f"- book sizes (<= {BOOK_SIZE:.0e} per array), dlopt <= torch default: {verdict(ratio <= 1)}"
          f" (worst {ratio:.2f}: {worst['optimizer']}, N={worst['N']:.0e}, {worst['arrays']} arrays)")
    big = [r for r in rows if r["N"] == 10**7]
    worst = max(big, key=lambda r: r["dlopt"] / r["torch default"])
    ratio = worst["dlopt"] / worst["torch default"]
    print(f"- N=1e7, dlopt <= torch default: {verdict(ratio <= 1)}"
          f" (worst {ratio:.2f}: {worst['optimizer']}, {worst['arrays']} arrays)")
    adam = [r for r in big if r["optimizer"] in ("Adam", "AdamW")]
    worst = max(adam, key=lambda r: r["dlopt"] / r["torch fused"])
    ratio = worst["dlopt"] / worst["torch fused"]
    print(f"- N=1e7, Adam/AdamW within 4x of torch fused: {verdict(ratio <= 4)}"
          f" (worst {ratio:.2f}: {worst['optimizer']}, {worst['arrays']} arrays)")
    mid = [r for r in rows if r["N"] in (10**5, 10**6)]
    worst = max(mid, key=lambda r: r["dlopt"] / r["torch default"])
    print(f"- N=1e5..1e6 (reported, no target): dlopt / torch default from "
          f"{min(r['dlopt'] / r['torch default'] for r in mid):.2f} to "
          f"{worst['dlopt'] / worst['torch default']:.2f}")


# ---------------------------------------------------------------------------------------------
# what bounds the speed: memory bandwidth and the number of passes over the data


def _median_seconds(fn, reps: int) -> float:
    fn()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def bandwidth(reps: int) -> None:
    """Memory bandwidth (arrays of 200 MB, far bigger than the 32 MB L3 cache) and the cost of
    one numpy pass when the data sit in the cache (a 256K-element piece reused), both given as
    milliseconds per 1e7 float32 elements."""
    big, piece, per = 5 * 10**7, 1 << 18, 10**7
    a, b, c = (np.full(big, 1.5, np.float32) for _ in range(3))
    pa, pb, pc = (np.full(piece, 1.5, np.float32) for _ in range(3))
    ta, tb = torch.ones(big), torch.ones(big)
    default_threads = torch.get_num_threads()

    def torch_add_one_thread():
        torch.set_num_threads(1)
        try:
            ta.add_(tb)
        finally:
            torch.set_num_threads(default_threads)

    def in_cache(fn):
        def run():
            for _ in range(per // piece):
                fn()

        return run

    # (name, arrays read + written per element, elements per call, function)
    cases = [
        ("numpy a += b (1 thread)", 3, big, lambda: np.add(a, b, out=a)),
        ("numpy a *= 0.5 (1 thread)", 2, big, lambda: np.multiply(a, 0.5, out=a)),
        ("numpy c[:] = a (1 thread)", 2, big, lambda: np.copyto(c, a)),
        ("torch a += b (1 thread)", 3, big, torch_add_one_thread),
        (f"torch a += b ({default_threads} threads, default)", 3, big, lambda: ta.add_(tb)),
        ("numpy a += b, in cache", 0, per, in_cache(lambda: np.add(pa, pb, out=pa))),
        ("numpy a * 0.5 -> new array, in cache", 0, per, in_cache(lambda: pa * 0.5)),
        ("numpy sqrt(a) -> c, in cache", 0, per, in_cache(lambda: np.sqrt(pa, out=pc))),
        ("numpy a / b -> c, in cache", 0, per, in_cache(lambda: np.divide(pa, pb, out=pc))),
    ]
    print("\nMemory bandwidth (200 MB arrays) and the cost of one pass in the cache, float32:\n")
    print("| operation | ms per 1e7 elements | GB/s (bytes read + written) |")
    print("|---|---:|---:|")
    for name, arrays, elements, fn in cases:
        seconds = _median_seconds(fn, reps) * per / elements
        rate = f"{arrays * 4 * per / seconds / 1e9:.1f}" if arrays else "(in cache)"
        print(f"| {name} | {seconds * 1e3:.2f} | {rate} |")
    print("\nAt N = 1e7 one fused Adam step reads θ, g, m, v and writes θ, m, v: 7 x 40 MB = 280 MB "
          "(Momentum: 5 x 40 MB). dlopt.Adam makes 13 numpy passes over the data "
          "(1 sqrt, 2 divisions), AdamW 14, Momentum 5.")


def ablation(reps: int) -> None:
    """Adam at 1e6 and 1e7, one array: what each speed-up inside dlopt is worth."""

    class Rebinding(dlopt.Adam):
        """The textbook form that rebinds fresh arrays every step (what DESIGN.md forbids).
        It cannot be split into pieces: the new arrays would be bound in a piece's dict."""

        chunk_size = 1 << 62

        def _step(self, param, grad, state, t):
            beta1, beta2 = self.betas
            state["exp_avg"] = beta1 * state["exp_avg"] + (1.0 - beta1) * grad
            state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1.0 - beta2) * grad * grad
            m_hat = state["exp_avg"] / (1.0 - beta1**t)
            v_hat = state["exp_avg_sq"] / (1.0 - beta2**t)
            param -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)

    class Scratch(dlopt.Adam):
        """dlopt.Adam plus one reusable scratch array and out= everywhere: no temporaries."""

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.scratch = {}  # outside self.state: state_dict stays clean

        def _step(self, param, grad, state, t):
            beta1, beta2 = self.betas
            m, v = state["exp_avg"], state["exp_avg_sq"]
            if param.size not in self.scratch:
                self.scratch[param.size] = np.empty(param.size, param.dtype)
            s = self.scratch[param.size].reshape(param.shape)
            m *= beta1
            m += np.multiply(grad, 1.0 - beta1, out=s)
            v *= beta2
            np.multiply(grad, grad, out=s)
            s *= 1.0 - beta2
            v += s
            np.sqrt(v, out=s)
            s /= math.sqrt(1.0 - beta2**t)
            s += self.eps
            np.divide(m, s, out=s)
            s *= self.lr / (1.0 - beta1**t)
            param -= s

    def unchunked():
        opt = dlopt.Adam(lr=LR)
        opt.chunk_size = 1 << 62
        return opt

    def chunked_scratch():
        return Scratch(lr=LR)

    def unchunked_scratch():
        opt = Scratch(lr=LR)
        opt.chunk_size = 1 << 62
        return opt

    variants = {
        "rebinding fresh arrays, no pieces (not used)": lambda: Rebinding(lr=LR),
        "in place, temporaries, no pieces": unchunked,
        "in place, temporaries, 256K pieces (dlopt.Adam)": lambda: dlopt.Adam(lr=LR),
        "in place + scratch/out=, no pieces (not used)": unchunked_scratch,
        "in place + scratch/out=, 256K pieces (not used)": chunked_scratch,
    }
    print("\nWhat each speed-up is worth: Adam, one float32 array, median µs per step "
          "(round-robin):\n")
    print("| variant | N = 1e6 | N = 1e7 |")
    print("|---|---:|---:|")
    results = {}
    for n in (10**6, 10**7):
        params, grads = make_problem(n, 1)
        runs = {name: dlopt_stepper(make, params, grads) for name, make in variants.items()}
        results[n] = round_robin({name: run[0] for name, run in runs.items()},
                                 min_seconds=0.5 if n < 10**7 else 1.5, min_reps=reps, max_reps=200)
        reference = runs["in place, temporaries, 256K pieces (dlopt.Adam)"][1]["p0"]
        for name, (_, result) in runs.items():  # every variant computed the same steps
            np.testing.assert_allclose(result["p0"], reference, rtol=1e-5, atol=1e-6, err_msg=name)
        del runs
    for name in variants:
        print(f"| {name} | {results[10**6][name]:,.0f} | {results[10**7][name]:,.0f} |")


FRESH_PROCESS = """
import resource, statistics, sys, time
import numpy as np
sys.path.insert(0, sys.argv[3])
if sys.argv[1] == "without":  # import dlopt without its malloc hint: np.empty does nothing
    real_empty, np.empty = np.empty, lambda *args, **kwargs: None
import dlopt
if sys.argv[1] == "without":
    np.empty = real_empty
n, reps = int(sys.argv[2]), int(sys.argv[4])
rng = np.random.default_rng(0)
params = {"p0": rng.standard_normal(n, dtype=np.float32)}
grads = {"p0": rng.standard_normal(n, dtype=np.float32)}
opt = dlopt.Adam(lr=1e-3)
opt.update(params, grads)
opt.update(params, grads)
times, faults = [], resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(reps):
    start = time.perf_counter()
    opt.update(params, grads)
    times.append(time.perf_counter() - start)
faults = (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults) / reps
print(statistics.median(times) * 1e6, faults)
"""


def fresh_process(reps: int) -> None:
    """dlopt.Adam alone in a new interpreter, with and without the malloc hint of
    dlopt.optimizers (_keep_freed_memory_for_reuse)."""
    import subprocess

    src = str(Path(__file__).resolve().parents[1] / "src")
    print("\nThe same dlopt.Adam step in a fresh interpreter, alone (no round-robin), one float32 "
          "array: median µs per step (minor page faults per step):\n")
    print("| dlopt imported | N = 1e6 | N = 1e7 |")
    print("|---|---:|---:|")
    for mode, label in (("with", "as is"), ("without", "without the malloc hint")):
        cells = []
        for n in (10**6, 10**7):
            out = subprocess.run(
                [sys.executable, "-c", FRESH_PROCESS, mode, str(n), src, str(reps)],
                capture_output=True, text=True, check=True,
            ).stdout.split()
            cells.append(f"{float(out[0]):,.0f} ({float(out[1]):,.0f})")
        print(f"| {label} | {cells[0]} | {cells[1]} |")


# ---------------------------------------------------------------------------------------------


def header() -> None:
    print("# dlopt vs torch.optim: one optimizer step on the CPU\n")
    print(f"- {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"- numpy {np.__version__} (elementwise ufuncs: 1 thread), torch {torch.__version__} "
          f"(torch.get_num_threads() = {torch.get_num_threads()}, torch's default, left unchanged)")
    print(f"- dlopt Optimizer.chunk_size = {dlopt.Optimizer.chunk_size:,} elements")
    env = {k: os.environ[k] for k in ("OMP_NUM_THREADS", "OPENBLAS_CORETYPE") if k in os.environ}
    print(f"- environment: {env or 'no thread variables set'} (BLAS plays no part in elementwise ops)")
    print(f"- load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (smoke test)")
    args = parser.parse_args()
    min_seconds, min_reps = (0.05, 3) if args.quick else (1.5, 11)
    started = time.perf_counter()

    header()
    print("\ntorch code path per configuration (counted calls on a 2-array problem):\n")
    for (name, mode), path in torch_code_paths().items():
        print(f"- {name}, {mode}: {path}")
    print(f"\ndlopt and torch agree after 5 float32 steps (max |difference| "
          f"{check_same_numbers():.1e}).\n")

    rows = main_table(min_seconds, min_reps)
    print_table(rows)
    print_targets(rows)
    bandwidth(reps=5 if args.quick else 21)
    ablation(reps=3 if args.quick else 9)
    if platform.system() == "Linux":
        fresh_process(reps=5 if args.quick else 21)
    print(f"\nload average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"total run time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
