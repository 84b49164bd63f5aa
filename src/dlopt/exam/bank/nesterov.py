"""E資格形式の問題：ネステロフのモメンタム（chapters/nesterov）。

『ゼロから作る』の Nesterov は、oreilly-japan/deep-learning-from-scratch の common/optimizer.py の
現在のコード（コミット 89eadd0、2021 年 1 月 18 日以降）と同じ形です。W を先に更新し、更新前の v に
α² を掛けます。学習率が一定なら PyTorch の SGD(nesterov=True)（dlopt.Nesterov）と同じ点列です。
修正前のコード（v が先）は別の点列になるので、誤りの選択肢として使います。
鍵は tests/exam_cases/nesterov.py が計算し直します。
"""

_HEAD = """\
import numpy as np


class Nesterov:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = None

    def update(self, params, grads):
        if self.v is None:
            self.v = {}
            for key, val in params.items():
                self.v[key] = np.zeros_like(val)

        for key in params.keys():
"""

_CLASS = (
    _HEAD
    + """\
            params[key] += 【あ】
            params[key] -= 【い】
            【う】
            self.v[key] -= self.lr * grads[key]
"""
)

_ORDER = _HEAD + "            【あ】\n"

_TORCH = """\
import torch

w = torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64, requires_grad=True)
optimizer = 【あ】
for step in range(5):
    optimizer.zero_grad()
    loss = (w**2).sum()
    loss.backward()
    optimizer.step()
"""

# The four lines of the loop, in the orders the order question offers.
_A = "params[key] += self.momentum * self.momentum * self.v[key]"
_B = "params[key] -= (1 + self.momentum) * self.lr * grads[key]"
_C = "self.v[key] *= self.momentum"
_D = "self.v[key] -= self.lr * grads[key]"

GROUPS = {
    "nesterov-class": (
        "次のコードは、『ゼロから作る』の現在の形のネステロフのモメンタム（Nesterov's accelerated "
        "gradient）です。"
        "`params` と `grads` は、パラメータの名前をキーとする辞書です。"
        "空欄【あ】〜【う】に入るものを、それぞれ選んでください。\n\n"
        f"```python\n{_CLASS}```"
    ),
    "nesterov-order": (
        "次のコードは、ネステロフのモメンタムの `update` のループの中身を空欄【あ】にしたものです。"
        "【あ】には、同じ 4 行をある順序で並べたものが入ります。\n\n"
        f"```python\n{_ORDER}```"
    ),
    "nesterov-torch": (
        "『ゼロから作る』の `Nesterov(lr=0.01, momentum=0.9)` で書いた学習を、PyTorch に移します。"
        "次のコードの損失は $\\sum_i w_i^2$ で、学習率は最後まで変えません。\n\n"
        f"```python\n{_TORCH}```"
    ),
}

QUESTIONS = [
    {
        "id": "nesterov-concept-idea",
        "kind": "concept",
        "keyword": "ネステロフのモメンタム",
        "difficulty": 1,
        "stem": "ネステロフのモメンタムと古典的なモメンタムの違いとして、正しいものはどれですか。",
        "choices": [
            "速度に学習率を含めず、学習率はパラメータを更新するときに掛ける。",
            "勾配の 2 乗の移動平均を保ち、その平方根で学習率を割る。",
            "勾配を、いまの点ではなく慣性で進んだ先の点で計算する。",
            "パラメータを更新したあと、毎回速度を 0 に戻す。",
        ],
        "answer": 2,
        "explanation": (
            "（ウ）が正しい説明です。ネステロフのモメンタムは、慣性で進んだ先の点 $W + \\alpha v$ "
            "で勾配を計算します。"
            "これを先読み勾配（look-ahead gradient）と呼びます。"
            "行き過ぎた先で「戻れ」という勾配が得られるので、振動が抑えられます。\n\n"
            "- （ア）は PyTorch 形式のバッファの書き方です。古典的なモメンタムにもあり、計算は同じです。\n"
            "- （イ）は RMSProp の仕組みです。\n"
            "- （エ）では速度がたまらず、ただの SGD になります。"
        ),
    },
    {
        "id": "nesterov-formula-lookahead",
        "kind": "formula",
        "keyword": "ネステロフのモメンタム",
        "difficulty": 2,
        "stem": (
            "Sutskever らの先読み形式で、ネステロフのモメンタムの更新式として正しいものはどれですか。"
            "$W$ はパラメータ、$v$ は速度（初期値 0）、$\\eta$ は学習率、$\\alpha$ はモメンタム係数です。"
        ),
        "choices": [
            "$v \\leftarrow \\alpha v - \\eta \\nabla L(W + \\alpha v),\\quad W \\leftarrow W + v$",
            "$v \\leftarrow \\alpha v - \\eta \\nabla L(W),\\quad W \\leftarrow W + v$",
            "$v \\leftarrow \\alpha v - \\eta \\nabla L(W - \\alpha v),\\quad W \\leftarrow W + v$",
            "$v \\leftarrow \\alpha v - \\eta \\nabla L(W + v),\\quad W \\leftarrow W + v$",
        ],
        "answer": 0,
        "explanation": (
            "（ア）が正しい式です。勾配を計算する点は、慣性だけで進んだ先の $W + \\alpha v$ です。\n\n"
            "- （イ）は勾配をいまの点で計算する、古典的なモメンタムの式です。\n"
            "- （ウ）は慣性と逆向きに戻った点で勾配を計算しています。先読みではありません。\n"
            "- （エ）は $\\alpha$ が抜けています。"
            "次の速度は $\\alpha v$ に勾配の項を加えたものなので、慣性による移動は $v$ ではなく $\\alpha v$"
            " です。"
        ),
    },
    {
        "id": "nesterov-formula-torch",
        "kind": "formula",
        "keyword": "発展",
        "difficulty": 3,
        "stem": (
            "PyTorch の `SGD(momentum=α, nesterov=True)` は、学習率を含まないバッファ $b$ を使います（$b_1 "
            "= g_1$）。"
            "その更新式として正しいものはどれですか。"
        ),
        "choices": [
            "$b \\leftarrow \\alpha b + g,\\quad \\theta \\leftarrow \\theta - \\eta\\, b$",
            (
                "$b \\leftarrow \\alpha b + g,\\quad \\theta \\leftarrow \\theta - \\eta\\,\\bigl((1 + "
                "\\alpha) g + \\alpha^2 b\\bigr)$"
            ),
            (
                "$b \\leftarrow \\alpha b + (1 - \\alpha) g,\\quad \\theta \\leftarrow \\theta - \\eta\\,"
                "(g + \\alpha b)$"
            ),
            "$b \\leftarrow \\alpha b + g,\\quad \\theta \\leftarrow \\theta - \\eta\\,(g + \\alpha b)$",
        ],
        "answer": 3,
        "explanation": (
            "（エ）が正しい式です。Bengio らの形式 $\\theta \\leftarrow \\theta + \\alpha^2 v - (1 + "
            "\\alpha)\\eta g$"
            "（更新前の $v$）に $v = -\\eta b$ を代入して整理すると、この形になります。\n\n"
            "- （ア）は古典的なモメンタム（`nesterov=False`）の式です。\n"
            "- （イ）は $v$ を先に更新してから $\\alpha^2 v$ を足したときの式です。"
            "2021 年 1 月の修正前の『ゼロから作る』のコードがこの計算で、別の点列になります。\n"
            "- （ウ）は勾配に $1 - \\alpha$ を掛けています。"
            "PyTorch の `nesterov=True` は `dampening=0` を要求するので、勾配はそのまま加えます。"
        ),
    },
    {
        "id": "nesterov-concept-zero-fix",
        "kind": "concept",
        "keyword": "発展",
        "difficulty": 3,
        "stem": (
            "『ゼロから作る』の公開リポジトリの `Nesterov` クラスは、2021 年 1 月に 4 "
            "行の順序が入れ替えられました。"
            "修正後は $W$ を先に更新し、修正前は $v$ を先に更新していました。正しい説明はどれですか。"
        ),
        "choices": [
            "順序を入れ替えただけなので、修正前と修正後は同じ点列を作る。",
            "修正後は更新前の $v$ に $\\alpha^2$ を掛ける Bengio らの形式で、学習率が一定なら PyTorch の "
            "`nesterov=True` と同じ点列になる。修正前は別の点列になる。",
            "修正前のコードが PyTorch の `nesterov=True` と同じ点列で、修正後のコードは別の点列になる。",
            "どちらの順序も PyTorch の `nesterov=True` とは別の点列になる。"
            "PyTorch は先読み形式で勾配を計算するからである。",
        ],
        "answer": 1,
        "explanation": (
            "（イ）が正しい説明です。"
            "修正後のコードは $W \\leftarrow W + \\alpha^2 v - (1 + \\alpha)\\eta g$ を更新前の $v$ "
            "で計算し、そのあと $v$ を更新します。"
            "修正前は更新後の $v$ を使うので、$W \\leftarrow W + \\alpha^3 v - (1 + \\alpha + \\alpha^2)"
            "\\eta g$ という別の更新です。\n\n"
            "- （ア）最初のステップから違います。勾配に掛かる係数は、$\\alpha = 0.9$ で 1.9 と 2.71 です。\n"
            "- （ウ）は修正前と修正後を逆にしています。\n"
            "- （エ）PyTorch もパラメータそのものの勾配を使います。その形は Bengio "
            "らの形式と同じ点列になります。"
        ),
    },
    {
        "id": "nesterov-calc-first-step",
        "kind": "calculation",
        "keyword": "ネステロフのモメンタム",
        "difficulty": 2,
        "stem": (
            "損失 $L = W^2$（勾配 $2W$）で、$W = 1$ から始めます。"
            "現在の『ゼロから作る』の `Nesterov(lr=0.1, momentum=0.9)` で 1 回 `update` したあとの $W$ "
            "はいくつですか。"
        ),
        "choices": ["$0.620$", "$0.458$", "$0.800$", "$0.980$"],
        "answer": 0,
        "explanation": (
            "（ア）が正しい値です。勾配は $2$、速度は $v = 0$ なので、"
            "$W \\leftarrow 1 + 0.81 \\times 0 - 1.9 \\times 0.1 \\times 2 = 0.62$ です。\n\n"
            "- （イ）は修正前のコードの値です。$v = -0.2$ を先に作るので、$1 + 0.81 \\times (-0.2) - 0.38 "
            "= 0.458$ になります。\n"
            "- （ウ）は古典的なモメンタム、または $(1 + \\alpha)$ を忘れたときの値 $1 - 0.2$ です。\n"
            "- （エ）は $(1 + \\alpha)$ の代わりに $(1 - \\alpha)$ を掛けた値です。"
        ),
    },
    {
        "id": "nesterov-calc-two-steps",
        "kind": "calculation",
        "keyword": "ネステロフのモメンタム",
        "difficulty": 3,
        "stem": (
            "損失 $L = \\frac{1}{2} W^2$（勾配 $W$）で、$W = 2$ から始めます。"
            "現在の『ゼロから作る』の `Nesterov(lr=0.5, momentum=0.5)` で 2 回 `update` したあとの $W$ "
            "はいくつですか。"
        ),
        "choices": ["$0.250$", "$-0.0938$", "$-0.375$", "$-0.125$"],
        "answer": 3,
        "explanation": (
            "（エ）が正しい値です。$\\alpha^2 = 0.25$、$(1 + \\alpha)\\eta = 0.75$ です。\n\n"
            "- 1 回目：勾配 2、$W = 2 - 0.75 \\times 2 = 0.5$、$v = -0.5 \\times 2 = -1$\n"
            "- 2 回目：勾配 0.5、$W = 0.5 + 0.25 \\times (-1) - 0.75 \\times 0.5 = -0.125$\n\n"
            "- （ア）は先読み形式の $\\theta_2 = W_2 - \\alpha v_2$ です。"
            "$v_2 = -0.75$ なので 0.25 になりますが、コードのパラメータ $W$ ではありません。\n"
            "- （イ）は $v$ を先に更新する修正前のコードの値です。\n"
            "- （ウ）は $\\alpha^2$ の代わりに $\\alpha$ を掛けた値です。"
        ),
    },
    {
        "id": "nesterov-calc-effective",
        "kind": "calculation",
        "keyword": "発展",
        "difficulty": 2,
        "stem": (
            "2 次関数の曲率 $a$ の方向では、ネステロフのモメンタムは係数を下げた古典的なモメンタムと同じ形"
            "になります。"
            "$\\alpha = 0.9$、$\\eta = 0.1$、$a = 5$ のとき、この実効的なモメンタム係数はいくつですか。"
        ),
        "choices": ["$0.90$", "$0.50$", "$0.45$", "$0.40$"],
        "answer": 2,
        "explanation": (
            "（ウ）が正しい値です。先読みした点の勾配は $\\nabla L(W + \\alpha v) = \\nabla L(W) + "
            "a\\alpha v$ です。"
            "したがって $v \\leftarrow \\alpha(1 - \\eta a) v - \\eta \\nabla L(W)$ となり、係数は $0.9 "
            "\\times 0.5 = 0.45$ です。\n\n"
            "- （ア）は古典的なモメンタムの係数 $\\alpha$ のままです。\n"
            "- （イ）は $1 - \\eta a$ だけで、$\\alpha$ を掛け忘れています。\n"
            "- （エ）は $\\alpha - \\eta a$ と、掛けるところを引いています。"
        ),
    },
    {
        "id": "nesterov-class-a",
        "group": "nesterov-class",
        "blank": "【あ】",
        "kind": "code",
        "keyword": "ネステロフのモメンタム",
        "difficulty": 1,
        "stem": "【あ】に入るものを選んでください。",
        "choices": [
            "self.momentum * self.v[key]",
            "self.momentum * self.momentum * self.v[key]",
            "self.v[key]",
            "(1 + self.momentum) * self.v[key]",
        ],
        "answer": 1,
        "explanation": (
            "（イ）が正しいコードです。"
            "更新前の $v$ を使う Bengio らの形式は $W \\leftarrow W + \\alpha^2 v - (1 + \\alpha)\\eta g$ "
            "です。\n\n"
            "- （ア）は $\\alpha^2$ の代わりに $\\alpha$ を掛けています。\n"
            "- （ウ）は係数を掛けていません。\n"
            "- （エ）は勾配の項の係数 $(1 + \\alpha)$ を、速度の項に掛けています。"
        ),
    },
    {
        "id": "nesterov-class-b",
        "group": "nesterov-class",
        "blank": "【い】",
        "kind": "code",
        "keyword": "ネステロフのモメンタム",
        "difficulty": 2,
        "stem": "【い】に入るものを選んでください。",
        "choices": [
            "(1 + self.momentum) * self.lr * grads[key]",
            "self.lr * grads[key]",
            "(1 - self.momentum) * self.lr * grads[key]",
            "self.momentum * self.lr * grads[key]",
        ],
        "answer": 0,
        "explanation": (
            "（ア）が正しいコードです。勾配は、この 1 ステップの $-\\eta g$ と、次の速度に入る分の "
            "$-\\alpha\\eta g$ で、"
            "合わせて $(1 + \\alpha)$ 倍が効きます。\n\n"
            "- （イ）は $(1 + \\alpha)$ を忘れています。1 ステップ目から PyTorch の `nesterov=True` "
            "とずれます。\n"
            "- （ウ）は $(1 - \\alpha)$ と、符号を取り違えています。\n"
            "- （エ）は次の速度に入る分 $\\alpha\\eta g$ だけで、この 1 ステップの $\\eta g$ が抜けています。"
        ),
    },
    {
        "id": "nesterov-class-c",
        "group": "nesterov-class",
        "blank": "【う】",
        "kind": "code",
        "keyword": "ネステロフのモメンタム",
        "difficulty": 2,
        "stem": (
            "【う】に入るものを選んでください。次の行と合わせて $v \\leftarrow \\alpha v - \\eta g$ "
            "になります。"
        ),
        "choices": [
            "self.v[key] *= self.momentum * self.momentum",
            "self.v[key] *= 1 - self.momentum",
            "self.v[key] += self.momentum * self.v[key]",
            "self.v[key] *= self.momentum",
        ],
        "answer": 3,
        "explanation": (
            "（エ）が正しいコードです。$v$ を $\\alpha$ 倍し、次の行で $\\eta g$ を引いて $v \\leftarrow "
            "\\alpha v - \\eta g$ です。\n\n"
            "- （ア）は $W$ の更新の $\\alpha^2$ を速度にも使っています。速度が $\\alpha^2$ 倍ずつ減り、"
            "速く忘れすぎます。\n"
            "- （イ）は $1 - \\alpha$ 倍で、速度がほとんど残りません。\n"
            "- （ウ）は $v$ を $(1 + \\alpha)$ 倍にしています。速度が増え続けます。"
        ),
    },
    {
        "id": "nesterov-order",
        "group": "nesterov-order",
        "blank": "【あ】",
        "kind": "code",
        "keyword": "ネステロフのモメンタム",
        "difficulty": 3,
        "stem": (
            "現在の『ゼロから作る』のコードと同じく、学習率が一定なら PyTorch の `SGD(momentum=α, "
            "nesterov=True)` と"
            "同じ点列を作る並べ方はどれですか。"
        ),
        "choices": [
            "\n".join((_C, _D, _A, _B)),
            "\n".join((_C, _A, _B, _D)),
            "\n".join((_A, _B, _C, _D)),
            "\n".join((_D, _C, _A, _B)),
        ],
        "answer": 2,
        "explanation": (
            "（ウ）が正しい順序です。$W$ を更新前の $v$ で $W + \\alpha^2 v - (1 + \\alpha)\\eta g$ "
            "にしてから、"
            "$v \\leftarrow \\alpha v - \\eta g$ とします。2021 年 1 月（コミット 89eadd0）"
            "以降のコードです。\n\n"
            "- （ア）は 2021 年 1 月の修正前のコードです。"
            "$\\alpha^2$ が更新後の $v$ に掛かるので、最初のステップから移動量が $(1 + \\alpha + \\alpha^2)"
            "\\eta g$ になります。\n"
            "- （イ）は $v$ を $\\alpha$ 倍してから $W$ を更新するので、$W$ に $\\alpha^3 v$ が加わります。\n"
            "- （エ）は $v$ の 2 行が逆で、速度が $\\alpha(v - \\eta g)$ になります。"
            "さらに $v$ を先に更新するので、$W$ には更新後の速度の $\\alpha^2$ 倍が加わります。"
        ),
    },
    {
        "id": "nesterov-torch-sgd",
        "group": "nesterov-torch",
        "blank": "【あ】",
        "kind": "code",
        "keyword": "発展",
        "difficulty": 2,
        "stem": (
            "『ゼロから作る』の `Nesterov(lr=0.01, momentum=0.9)` と同じ点列を作るには、"
            "【あ】に何を書けばよいですか。"
        ),
        "choices": [
            "torch.optim.SGD([w], lr=0.01, nesterov=True)",
            "torch.optim.SGD([w], lr=0.01, momentum=0.9, nesterov=True)",
            "torch.optim.SGD([w], lr=0.01, momentum=0.9)",
            "torch.optim.NAdam([w], lr=0.01)",
        ],
        "answer": 1,
        "explanation": (
            "（イ）が正しいコードです。学習率が一定なら、PyTorch の `nesterov=True` "
            "と現在の『ゼロから作る』の "
            "`Nesterov` は $v = -\\eta b$ の関係で同じ点列を作ります。\n\n"
            "- （ア）は `momentum` を書き忘れています。既定値 0 のままなので、PyTorch は `ValueError` "
            "を出します。\n"
            "- （ウ）は `nesterov=True` がなく、古典的なモメンタムになります。\n"
            "- （エ）の NAdam は、Adam にネステロフの考え方を組み合わせた別の手法です。勾配の 2 "
            "乗の移動平均で割ります。"
        ),
    },
]
