"""The keys of src/dlopt/exam/bank/distributed.py, recomputed (tests/test_exam.py drives these).

The calculations are written out step by step (the warm-up also through dlopt.schedules and torch's
LinearLR; the ring all-reduce by simulating the chunks each rank sends); the code checks run the
filled listings in one process: the data-parallel simulation against full-batch gradient descent, and
DistributedSampler (no process group) against torch's own seed + epoch permutation."""

import numpy as np

from dlopt import schedules

# --- calculation keys ----------------------------------------------------------------------------


def _warmup_lr():
    """Goyal et al. (2017): η = 0.1 at batch 256, batch 8192 → k = 32, target kη = 3.2; gradual warm-up
    from η to kη over T_w = 500 updates, linear in t. η_200, three ways that must agree."""
    import torch

    eta, k, T_w, t = 0.1, 8192 / 256, 500, 200
    by_hand = eta + (k * eta - eta) * t / T_w
    # dlopt: linear warm-up from start_factor · lr to lr (then a cosine, not reached here)
    ours = schedules.warmup_cosine(k * eta, warmup_steps=T_w, total_steps=10 * T_w, start_factor=1 / k)(t)
    # torch: LinearLR(start_factor=1/k, total_iters=T_w) after t scheduler steps
    w = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=k * eta)
    scheduler = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=1 / k, total_iters=T_w)
    for _ in range(t):
        optimizer.step()
        scheduler.step()
    theirs = optimizer.param_groups[0]["lr"]
    assert abs(ours - by_hand) < 1e-12 and abs(theirs - by_hand) < 1e-9, (by_hand, ours, theirs)
    return by_hand


def _zero_stage1_gb():
    """Adam's m and v in fp32 (4 bytes each) for N = 2e9 parameters, partitioned over 8 ranks (ZeRO
    stage 1: only the optimizer state is split; the parameters stay whole on every rank)."""
    n_params, ranks, bytes_per_element, states = 2 * 10**9, 8, 4, 2
    return states * bytes_per_element * n_params / ranks / 1e9


def _ring_allreduce_mb():
    """Simulate a ring all-reduce of 8 ranks on S = 400 MB split into 8 chunks: N − 1 reduce-scatter
    steps, then N − 1 all-gather steps; each step every rank sends one chunk to its right neighbour.
    The sum is checked, and the megabytes rank 0 sent are counted."""
    N, S = 8, 400.0
    rng = np.random.default_rng(0)
    grads = [rng.normal(size=(N, 3)) for _ in range(N)]  # rank r's gradient as N chunks
    data = [g.copy() for g in grads]
    sent = [0.0] * N
    for step in range(N - 1):  # reduce-scatter: rank r sends chunk (r − step) mod N
        outgoing = [(r, (r - step) % N, data[r][(r - step) % N].copy()) for r in range(N)]
        for r, c, chunk in outgoing:
            data[(r + 1) % N][c] += chunk
            sent[r] += S / N
    for step in range(N - 1):  # all-gather: rank r sends the finished chunk (r + 1 − step) mod N
        outgoing = [(r, (r + 1 - step) % N, data[r][(r + 1 - step) % N].copy()) for r in range(N)]
        for r, c, chunk in outgoing:
            data[(r + 1) % N][c] = chunk
            sent[r] += S / N
    total = sum(grads)
    for r in range(N):
        np.testing.assert_allclose(data[r], total, rtol=1e-12)
    assert len(set(sent)) == 1
    assert abs(sent[0] - 2 * (N - 1) / N * S) < 1e-9
    return sent[0]


CALCULATIONS = {
    "distributed-calc-warmup": _warmup_lr,
    "distributed-calc-zero": _zero_stage1_gb,
    "distributed-calc-ring": _ring_allreduce_mb,
}


# --- code keys -----------------------------------------------------------------------------------


def check_data_parallel(namespace):
    """10 updates of the simulated 4-rank data parallelism equal 10 steps of full-batch gradient descent
    (lr 0.1, mean squared error over all 48 rows) from the same zero start."""
    X, y = namespace["X"], namespace["y"]
    w = np.zeros(3)
    for _ in range(10):
        w = w - 0.1 * 2.0 * X.T @ (X @ w - y) / len(y)
    assert not np.allclose(w, 0.0)  # the reference did move
    got = np.asarray(namespace["w"])
    assert got.shape == (3,), got.shape
    np.testing.assert_allclose(got, w, rtol=1e-12, atol=1e-14)


def check_sampler(namespace):
    """Each epoch rank r gets torch.randperm(10) seeded with 0 + epoch, entries r::2 (what
    DistributedSampler(shuffle=True, seed=0) documents): the two ranks split the data with no overlap,
    and the order changes from epoch to epoch."""
    import torch

    seen = namespace["seen"]
    assert len(seen) == 3 and all(len(shards) == 2 for shards in seen)
    for epoch, shards in enumerate(seen):  # no overlap, nothing left out
        assert sorted(shards[0] + shards[1]) == list(range(10)), (epoch, shards)
    assert seen[0] != seen[1] and seen[1] != seen[2], seen  # a new order every epoch
    for epoch, shards in enumerate(seen):  # and exactly torch's seed + epoch permutation
        permutation = torch.randperm(10, generator=torch.Generator().manual_seed(epoch)).tolist()
        for rank, shard in enumerate(shards):
            assert shard == permutation[rank::2], (epoch, rank, shard)


CODE_CHECKS = {
    "distributed-dp": check_data_parallel,
    "distributed-sampler": check_sampler,
}
