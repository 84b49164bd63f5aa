"""The keys of src/dlopt/exam/bank/adamw.py, recomputed (tests/test_exam.py drives these), and the
class drill adamw_class: right classes written otherwise and typical mistakes (tests/test_class_drills.py)."""

import numpy as np

import dlopt

# --- the class drill ---------------------------------------------------------------------------------

DRILL = "adamw_class"


class ZeroAdamW:
    """ゼロから作る's Adam (common/optimizer.py) with one line added: θ ← θ − ηλθ before the Adam step,
    with lr (not lr_t), as torch.optim.AdamW does."""

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, weight_decay=0.01):
        self.lr = lr
        self.beta1 = beta1
        self.beta2 = beta2
        self.weight_decay = weight_decay
        self.iter = 0
        self.m = None
        self.v = None

    def update(self, params, grads):
        if self.m is None:
            self.m, self.v = {}, {}
            for key, val in params.items():
                self.m[key] = np.zeros_like(val)
                self.v[key] = np.zeros_like(val)

        self.iter += 1
        lr_t = self.lr * np.sqrt(1.0 - self.beta2**self.iter) / (1.0 - self.beta1**self.iter)

        for key in params.keys():
            params[key] -= self.lr * self.weight_decay * params[key]
            self.m[key] += (1 - self.beta1) * (grads[key] - self.m[key])
            self.v[key] += (1 - self.beta2) * (grads[key] ** 2 - self.v[key])
            params[key] -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)


class ScaledAdamW(ZeroAdamW):
    """θ *= 1 − ηλ (as dlopt.AdamW writes it), the Adam moments in the commented-out form."""

    def update(self, params, grads):
        if self.m is None:
            self.m = {key: np.zeros_like(val) for key, val in params.items()}
            self.v = {key: np.zeros_like(val) for key, val in params.items()}
        self.iter += 1
        lr_t = self.lr * np.sqrt(1.0 - self.beta2**self.iter) / (1.0 - self.beta1**self.iter)
        for key in params:
            params[key] *= 1.0 - self.lr * self.weight_decay
            self.m[key] = self.beta1 * self.m[key] + (1 - self.beta1) * grads[key]
            self.v[key] = self.beta2 * self.v[key] + (1 - self.beta2) * grads[key] ** 2
            params[key] -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)


class OneLineAdamW(ZeroAdamW):
    """θ_t = θ_{t−1} − (lr_t m/(√v + 1e-7) + ηλθ_{t−1}): the decay and the Adam step in one line,
    both from θ_{t−1} (the chapter's one-line form; the same numbers as decaying first)."""

    def update(self, params, grads):
        if self.m is None:
            self.m = {key: np.zeros_like(val) for key, val in params.items()}
            self.v = {key: np.zeros_like(val) for key, val in params.items()}
        self.iter += 1
        lr_t = self.lr * np.sqrt(1.0 - self.beta2**self.iter) / (1.0 - self.beta1**self.iter)
        for key in params:
            self.m[key] += (1 - self.beta1) * (grads[key] - self.m[key])
            self.v[key] += (1 - self.beta2) * (grads[key] ** 2 - self.v[key])
            step = lr_t * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)
            params[key] -= step + self.lr * self.weight_decay * params[key]


DRILL_CORRECT = {
    "ゼロから作る's Adam plus params[key] -= lr * weight_decay * params[key] first": ZeroAdamW,
    "params[key] *= 1 - lr * weight_decay, moments in the commented-out form": ScaledAdamW,
    "decay and Adam step in one line, both from θ_{t−1}": OneLineAdamW,
}


class AdamL2(ZeroAdamW):
    """Adam + L2 (torch.optim.Adam's weight_decay): λθ added to the gradient, so divided by √v."""

    def update(self, params, grads):
        if self.m is None:
            self.m = {key: np.zeros_like(val) for key, val in params.items()}
            self.v = {key: np.zeros_like(val) for key, val in params.items()}
        self.iter += 1
        lr_t = self.lr * np.sqrt(1.0 - self.beta2**self.iter) / (1.0 - self.beta1**self.iter)
        for key in params:
            grad = grads[key] + self.weight_decay * params[key]
            self.m[key] += (1 - self.beta1) * (grad - self.m[key])
            self.v[key] += (1 - self.beta2) * (grad**2 - self.v[key])
            params[key] -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)


class DecayWithoutLr(ZeroAdamW):
    """θ ← θ − λθ: the paper's λ (no η) given PyTorch's value."""

    def update(self, params, grads):
        if self.m is None:
            self.m = {key: np.zeros_like(val) for key, val in params.items()}
            self.v = {key: np.zeros_like(val) for key, val in params.items()}
        self.iter += 1
        lr_t = self.lr * np.sqrt(1.0 - self.beta2**self.iter) / (1.0 - self.beta1**self.iter)
        for key in params:
            params[key] -= self.weight_decay * params[key]
            self.m[key] += (1 - self.beta1) * (grads[key] - self.m[key])
            self.v[key] += (1 - self.beta2) * (grads[key] ** 2 - self.v[key])
            params[key] -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)


class DecayWithLrT(ZeroAdamW):
    """θ ← θ − lr_t·λθ: the bias-corrected lr_t belongs to the Adam step only."""

    def update(self, params, grads):
        if self.m is None:
            self.m = {key: np.zeros_like(val) for key, val in params.items()}
            self.v = {key: np.zeros_like(val) for key, val in params.items()}
        self.iter += 1
        lr_t = self.lr * np.sqrt(1.0 - self.beta2**self.iter) / (1.0 - self.beta1**self.iter)
        for key in params:
            params[key] -= lr_t * self.weight_decay * params[key]
            self.m[key] += (1 - self.beta1) * (grads[key] - self.m[key])
            self.v[key] += (1 - self.beta2) * (grads[key] ** 2 - self.v[key])
            params[key] -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)


class DecayAfterTheStep(ZeroAdamW):
    """The decay applied to the updated θ (after the Adam step): off by η²λ·(Adam step)."""

    def update(self, params, grads):
        if self.m is None:
            self.m = {key: np.zeros_like(val) for key, val in params.items()}
            self.v = {key: np.zeros_like(val) for key, val in params.items()}
        self.iter += 1
        lr_t = self.lr * np.sqrt(1.0 - self.beta2**self.iter) / (1.0 - self.beta1**self.iter)
        for key in params:
            self.m[key] += (1 - self.beta1) * (grads[key] - self.m[key])
            self.v[key] += (1 - self.beta2) * (grads[key] ** 2 - self.v[key])
            params[key] -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)
            params[key] -= self.lr * self.weight_decay * params[key]


class DecayAdded(ZeroAdamW):
    """θ ← θ + ηλθ: the sign of the decay flipped (the weights grow)."""

    def update(self, params, grads):
        if self.m is None:
            self.m = {key: np.zeros_like(val) for key, val in params.items()}
            self.v = {key: np.zeros_like(val) for key, val in params.items()}
        self.iter += 1
        lr_t = self.lr * np.sqrt(1.0 - self.beta2**self.iter) / (1.0 - self.beta1**self.iter)
        for key in params:
            params[key] += self.lr * self.weight_decay * params[key]
            self.m[key] += (1 - self.beta1) * (grads[key] - self.m[key])
            self.v[key] += (1 - self.beta2) * (grads[key] ** 2 - self.v[key])
            params[key] -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)


DRILL_MISTAKES = {
    "λθ added to the gradient (Adam + L2)": AdamL2,
    "decay without lr (θ -= λθ)": DecayWithoutLr,
    "decay with lr_t instead of lr": DecayWithLrT,
    "decay after the Adam step": DecayAfterTheStep,
    "decay with the sign flipped (θ += ηλθ)": DecayAdded,
}


# --- calculation keys ----------------------------------------------------------------------------------


def _adamw_first_step():
    """θ_1 of dlopt.AdamW(lr=0.01, weight_decay=0.1) from θ_0 = 2 with a zero loss gradient."""
    params = {"w": np.array(2.0)}
    dlopt.AdamW(lr=0.01, weight_decay=0.1).update(params, {"w": np.array(0.0)})
    return float(params["w"])


def _per_step_decay(optimizer):
    """The fraction by which one update shrinks a weight whose loss gradient is 0."""
    params = {"w": np.array(1.0)}
    optimizer.update(params, {"w": np.array(0.0)})
    return 1.0 - float(params["w"])


def _weight_decay_for_new_lr():
    """The λ that keeps dlopt.AdamW(lr=1e-3, weight_decay=0.05)'s per-step decay at lr=5e-4."""
    return _per_step_decay(dlopt.AdamW(lr=1e-3, weight_decay=0.05)) / 5e-4


def _paper_decay_of_sgd_l2():
    """λ_論文 = the fraction SGD with L2 (λ' = 5e-4, η = 0.1) shrinks a weight in one step."""
    return _per_step_decay(dlopt.SGD(lr=0.1, weight_decay=5e-4))


CALCULATIONS = {
    "adamw-calc-first-step": _adamw_first_step,
    "adamw-calc-lr-change": _weight_decay_for_new_lr,
    "adamw-calc-paper": _paper_decay_of_sgd_l2,
}


# --- code keys -------------------------------------------------------------------------------------------


def check_adamw_class(namespace):
    """The filled listing's AdamW equals dlopt.AdamW (ε = 1e-7/√(1 − β2^t) at step t) on the drill's
    20 random cases: three keys, six steps each."""
    verdict = dlopt.exercises.check(DRILL, namespace["AdamW"])
    assert verdict.kind == "pass", verdict.message


def check_adamw_torch(namespace):
    """The listing's model after 20 steps equals the same data and start trained with dlopt.AdamW(lr=0.01,
    weight_decay=0.1) in float64 numpy, with the gradients of the mean squared error written by hand."""
    import torch

    torch.manual_seed(0)  # the listing's seed: the same start and the same data
    start = torch.nn.Linear(4, 3)
    x, t = (a.double().numpy() for a in (torch.randn(8, 4), torch.randn(8, 3)))
    params = {"W": start.weight.detach().double().numpy().copy(),
              "b": start.bias.detach().double().numpy().copy()}
    optimizer = dlopt.AdamW(lr=0.01, weight_decay=0.1)
    for _ in range(20):
        y = x @ params["W"].T + params["b"]
        dy = 2.0 * (y - t) / y.size  # d mean((y − t)²) / dy
        optimizer.update(params, {"W": dy.T @ x, "b": dy.sum(axis=0)})
    model = namespace["model"]
    got = {"W": model.weight.detach().double().numpy(), "b": model.bias.detach().double().numpy()}
    for key in params:
        gap = np.abs(got[key] - params[key]).max()
        assert gap <= 1e-5, (key, gap)  # float32 round-off is about 1e-7


CODE_CHECKS = {"adamw-class": check_adamw_class, "adamw-torch": check_adamw_torch}
