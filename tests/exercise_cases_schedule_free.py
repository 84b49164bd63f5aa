"""The 穴埋め cases of chapters/schedule_free (see tests/exercise_cases.py for what a Case holds)."""

from __future__ import annotations

import numpy as np
from exercise_cases import Case, generated

import dlopt

# --- schedule_free_sgd_step ----------------------------------------------------------------------


def sgd_with(y=lambda x, z, beta: (1 - beta) * z + beta * x, c=lambda t: 1 / t, average_new_z=True,
             x_update=lambda x, z, c: (1 - c) * x + c * z):
    """The chapter's step with one part swapped: where the gradient is taken, c_t, which z is averaged."""

    def answer(x, z, a, b, t, lr, beta):
        point = y(x, z, beta)
        z_new = z - lr * (a * point - b)
        return x_update(x, z_new if average_new_z else z, c(t)), z_new

    return answer


def sgd_in_place(x, z, a, b, t, lr, beta):
    """Written as the package does it: y first, then the lerp toward z (x += c (z − x))."""
    y = z + beta * (x - z)
    z = z.copy()
    z -= lr * (a * y - b)
    x = x.copy()
    x += (z - x) / t
    return x, z


def sgd_as_running_mean(x, z, a, b, t, lr, beta):
    """x_t = ((t − 1) x_{t-1} + z_t) / t: the running mean of z_1, …, z_t."""
    y = (1 - beta) * z + beta * x
    z = z - lr * (a * y - b)
    return ((t - 1) * x + z) / t, z


SGD_MISTAKES = {
    "interpolation swapped (β z + (1 − β) x)": sgd_with(y=lambda x, z, beta: beta * z + (1 - beta) * x),
    "gradient at z (Polyak–Ruppert, β = 0)": sgd_with(y=lambda x, z, beta: z),
    "gradient at x (primal averaging, β = 1)": sgd_with(y=lambda x, z, beta: x),
    "c = 1/(t + 1)": sgd_with(c=lambda t: 1 / (t + 1)),
    "averages the old z": sgd_with(average_new_z=False),
    "weights of x and z swapped": sgd_with(x_update=lambda x, z, c: c * x + (1 - c) * z),
}


def sgd_twin(inputs):
    """dlopt.ScheduleFreeAdamW with its preconditioner made exactly 1: the state v_{t-1} is chosen so
    that v_t / (1 − β2^t) = 1 for this step's gradient, ε = 0, weight decay 0, and the weight sum of
    t − 1 earlier steps at the same η (so c_t = 1/t). The arrays hold y; eval() moves them to x."""
    x, z, a, b, t, lr, beta = (inputs[k] for k in ("x", "z", "a", "b", "t", "lr", "beta"))
    beta2 = 0.9
    y = (1 - beta) * z + beta * x
    grad = a * y - b
    v_prev = ((1 - beta2**t) - (1 - beta2) * grad * grad) / beta2
    opt = dlopt.ScheduleFreeAdamW(lr=lr, betas=(beta, beta2), eps=0.0)
    params = {"w": y.copy()}
    opt.state["w"] = {"step": t - 1, "z": z.copy(), "exp_avg_sq": v_prev, "lr_max": lr,
                      "weight_sum": (t - 1) * lr**2, "train_mode": True}
    opt.update(params, {"w": grad})
    opt.eval(params)
    return params["w"], opt.state["w"]["z"]


# --- schedule_free_weights -----------------------------------------------------------------------


def weights_with(lr_t=lambda lr, t, w: lr * np.minimum(1.0, t / w), use_max=True, use_r=True, use_p=True,
                 normalize=lambda w: w / np.cumsum(w)):
    def answer(lr, warmup_steps, steps, r, weight_lr_power):
        t = np.arange(1, steps + 1)
        rates = lr_t(lr, t, warmup_steps) if warmup_steps else np.full(steps, lr)
        if use_max:
            rates = np.maximum.accumulate(rates)
        w = (t**r if use_r else 1.0) * rates ** (weight_lr_power if use_p else 2.0)
        return normalize(w)

    return answer


def weights_loop(lr, warmup_steps, steps, r, weight_lr_power):
    """The package's loop, one step at a time (k counted from 0, as in adamw_schedulefree.py)."""
    lr_max, weight_sum, out = -1.0, 0.0, []
    for k in range(steps):
        sched = (k + 1) / warmup_steps if k < warmup_steps else 1.0
        lr_max = max(lr * sched, lr_max)
        weight = (k + 1) ** r * lr_max**weight_lr_power
        weight_sum += weight
        out.append(weight / weight_sum)
    return np.array(out)


WEIGHTS_MISTAKES = {
    "c = 1/t (weights ignored)": weights_with(normalize=lambda w: 1 / np.arange(1, len(w) + 1)),
    "warm-up off by one ((t − 1)/W)": weights_with(lr_t=lambda lr, t, w: lr * np.minimum(1.0, (t - 1) / w)),
    "t^r forgotten": weights_with(use_r=False),
    "power always 2": weights_with(use_p=False),
    "normalized by the total of all T steps": weights_with(normalize=lambda w: w / w.sum()),
}


def weights_twin(rng):
    """c_t read off dlopt.ScheduleFreeAdamW: with a zero gradient ĝ = 0, so y ← y + c_t (z − y); z is
    set to y + 1 before each step, so the step moves y by exactly c_t."""
    inputs = dlopt.exercises.PROBLEMS["schedule_free_weights"].make_inputs(rng)
    opt = dlopt.ScheduleFreeAdamW(lr=inputs["lr"], warmup_steps=inputs["warmup_steps"], r=inputs["r"],
                                  weight_lr_power=inputs["weight_lr_power"])
    params = {"w": np.array(0.0)}
    opt.state["w"] = {"step": 0, "z": np.array(1.0), "exp_avg_sq": np.array(0.0), "lr_max": -1.0,
                      "weight_sum": 0.0, "train_mode": True}
    out = []
    for _ in range(inputs["steps"]):
        params["w"][...] = 0.0
        opt.state["w"]["z"][...] = 1.0
        opt.update(params, {"w": np.array(0.0)})
        out.append(float(params["w"]))
    return inputs, np.array(out)


CASES: dict[str, Case] = {
    "schedule_free_sgd_step": Case(
        correct={"in place (lerp)": sgd_in_place, "running mean": sgd_as_running_mean},
        mistakes=SGD_MISTAKES,
        examples=[
            # x = z = 1 at t = 1, f = θ²/2: y = 1, g = 1, z = 1 − 0.1 = 0.9, c_1 = 1 so x = z
            ({"x": np.array([1.0]), "z": np.array([1.0]), "a": np.array([1.0]), "b": np.array([0.0]),
              "t": 1, "lr": 0.1, "beta": 0.9}, (np.array([0.9]), np.array([0.9]))),
            # x = 0, z = 2, β = 0.5: y = 1, g = 2·1 − 1 = 1, z = 2 − 0.5 = 1.5, c_2 = 1/2: x = 0.75
            ({"x": np.array([0.0]), "z": np.array([2.0]), "a": np.array([2.0]), "b": np.array([1.0]),
              "t": 2, "lr": 0.5, "beta": 0.5}, (np.array([0.75]), np.array([1.5]))),
        ],
        twin=generated("schedule_free_sgd_step", sgd_twin),
        every_input=lambda x: 1 <= x["t"] <= 7 and 0.5 <= x["beta"] < 0.95,
        graded_inputs=lambda trials: 1 in {x["t"] for x in trials},  # c_1 = 1 (x_1 = z_1) is graded
    ),
    "schedule_free_weights": Case(
        correct={"the package's loop": weights_loop},
        mistakes=WEIGHTS_MISTAKES,
        examples=[
            # no warm-up, r = 0: equal weights, c_t = 1/t
            ({"lr": 0.01, "warmup_steps": 0, "steps": 4, "r": 0.0, "weight_lr_power": 2.0},
             np.array([1.0, 1 / 2, 1 / 3, 1 / 4])),
            # W = 2, p = 2, η = 1: η_t = 0.5, 1, 1; w = 0.25, 1, 1; c = 1, 1/1.25, 1/2.25
            ({"lr": 1.0, "warmup_steps": 2, "steps": 3, "r": 0.0, "weight_lr_power": 2.0},
             np.array([1.0, 0.8, 1 / 2.25])),
        ],
        twin=weights_twin,
        every_input=lambda x: 5 <= x["steps"] <= 12 and x["warmup_steps"] <= 8,
        graded_inputs=lambda trials: any(x["warmup_steps"] for x in trials) and any(x["r"] for x in trials),
    ),
}
