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
dlopt and torch compute the same numbers; after it, it judges the targets (book sizes: dlopt no
slower than torch's default step; N = 1e7: within 2.5x of it). dlopt is timed as the book shows it:
the plain update, no speed-ups. The whole run takes about a minute on a quiet 2-core machine.
"""

from __future__ import annotations

import argparse
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
BOOK_SIZE = 10**5  # the book's models have at most a few 1e4 parameters in all
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
    """The targets of the dlopt-core issue, judged from the table just measured."""

    def worst(selected: list[dict], mode: str) -> tuple[float, dict]:
        row = max(selected, key=lambda r: r["dlopt"] / r[mode])
        return row["dlopt"] / row[mode], row

    print("\nTargets (judged from the table above):")
    ratio, row = worst([r for r in rows if r["N"] <= BOOK_SIZE], "torch default")
    print(f"- book sizes (N <= {BOOK_SIZE:.0e}), dlopt no slower than torch default: "
          f"{'met' if ratio <= 1 else 'NOT met'} (worst {ratio:.2f}: {row['optimizer']}, "
          f"N={row['N']:.0e}, {row['arrays']} arrays)")
    ratio, row = worst([r for r in rows if r["N"] == 10**7], "torch default")
    print(f"- N=1e7, dlopt within 2.5x of torch default: {'met' if ratio <= 2.5 else 'NOT met'}"
          f" (worst {ratio:.2f}: {row['optimizer']}, {row['arrays']} arrays)")
    ratio, row = worst([r for r in rows if r["N"] == 10**7], "torch fused")
    print(f"- N=1e7 against torch fused (reported, no target): worst {ratio:.2f} "
          f"({row['optimizer']}, {row['arrays']} arrays)")


# ---------------------------------------------------------------------------------------------


def header() -> None:
    print("# dlopt vs torch.optim: one optimizer step on the CPU\n")
    print(f"- {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"- numpy {np.__version__} (elementwise ufuncs: 1 thread), torch {torch.__version__} "
          f"(torch.get_num_threads() = {torch.get_num_threads()}, torch's default, left unchanged)")
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
    print(f"\nload average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"total run time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
