"""The keys of src/dlopt/exam/bank/early_stopping.py, recomputed (tests/test_exam.py drives these)."""

import numpy as np

import dlopt


def replay(values, **options):
    """dlopt.EarlyStopping stepped with ``values`` until it says stop."""
    es = dlopt.EarlyStopping(**options)
    for value in values:
        if es.step(value):
            break
    return es


def stop_and_best():
    es = replay([0.90, 0.75, 0.78, 0.74, 0.76, 0.77, 0.73], patience=2, min_delta=0.02)
    return es.stopped_epoch, es.best_epoch


def epochs_trained():
    # best at epoch 7, never improved afterwards
    values = [1.0 - 0.05 * n for n in range(8)] + [0.7 + 0.01 * n for n in range(1, 20)]
    es = replay(values, patience=5)
    assert es.best_epoch == 7
    return es.stopped_epoch + 1


def generalization_loss():
    val = np.array([0.80, 0.70, 0.75])
    return 100 * (val[-1] / np.minimum.accumulate(val)[-1] - 1)


def plateau_vs_early_stopping():
    import torch

    values = [1.0, 1.1, 1.2, 1.3, 1.4]
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1.0)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="min", patience=2)
    lowered = None
    for n, value in enumerate(values):
        plateau.step(value)
        if lowered is None and opt.param_groups[0]["lr"] < 1.0:
            lowered = n
    return replay(values, patience=2).stopped_epoch, lowered


CALCULATIONS = {
    "early_stopping-calc-1": stop_and_best,
    "early_stopping-calc-2": epochs_trained,
    "early_stopping-calc-3": generalization_loss,
    "early_stopping-calc-4": lambda: 1 / (0.01 * 500),
    "early_stopping-calc-5": plateau_vs_early_stopping,
}


def _cases(rng):
    """(values, patience, min_delta): hand-made edge cases, then random ones on a 0.1 grid (so that
    equal values and drops of exactly min_delta are frequent). Every case makes the reference stop."""
    cases = [
        ([0.4, 0.3, 0.35], 1, 0.1),  # 0.4 − 0.1 rounds to 0.30000000000000004
        ([1.0, 0.8, 0.8, 0.9], 1, 0.0),  # equal to the best is no improvement
        ([1.0, 0.8, 0.9, 0.7, 0.75, 0.72, 0.71], 3, 0.0),
        ([1.0, 1.1, 0.9, 0.95, 0.92], 2, 0.0),
        ([0.9, 0.8, 0.7, 0.75, 0.6, 0.65, 0.7, 0.8], 2, 0.02),
    ]
    while len(cases) < 40:
        values = [float(v) for v in np.round(rng.uniform(0.1, 1.0, int(rng.integers(3, 15))), 1)]
        patience = int(rng.integers(1, 5))
        min_delta = float(rng.choice([0.0, 0.1, 0.2]))
        if replay(values, patience=patience, min_delta=min_delta).stopped_epoch is not None:
            cases.append((values, patience, min_delta))
    return cases


def check_early_stopping_class(namespace):
    """The listing's EarlyStopping says stop at the same epochs as dlopt.EarlyStopping (Keras's rule)
    and, when it stops, leaves the same (best) weights in params."""
    cls = namespace["EarlyStopping"]
    rng = np.random.default_rng(0)
    for values, patience, min_delta in _cases(rng):
        ours = cls(patience=patience, min_delta=min_delta)
        reference = dlopt.EarlyStopping(patience=patience, min_delta=min_delta, restore_best=True)
        params = {"W": rng.normal(size=(2, 3)), "b": rng.normal(size=3)}
        expected = {key: p.copy() for key, p in params.items()}
        for value in values:
            for key in params:  # one epoch of training: the arrays change in place
                step = rng.normal(size=params[key].shape)
                params[key] -= step
                expected[key] -= step
            stop = ours.step(value, params)
            assert stop == reference.step(value, expected), (values, patience, min_delta)
            if stop:
                break
        for key in params:
            np.testing.assert_array_equal(params[key], expected[key])


CODE_CHECKS = {"early_stopping-class": check_early_stopping_class}
