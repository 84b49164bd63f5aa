"""E資格形式の問題：モメンタム（chapters/momentum）。

『ゼロから作る』の Momentum は oreilly-japan/deep-learning-from-scratch の common/optimizer.py と
同じ形です（v ← αv − ηg、W ← W + v、v は 0 から）。鍵は tests/exam_cases/momentum.py が計算し直します。
"""

_CLASS = """\
import numpy as np


class Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = None

    def update(self, params, grads):
        if self.v is None:
            self.v = {}
            for key, val in params.items():
                self.v[key] = 【あ】

        for key in params.keys():
            self.v[key] = 【い】
            【う】
"""

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

GROUPS = {
    "momentum-class": (
        "次のコードは『ゼロから作る』と同じ形のモメンタム（Momentum SGD）です。"
        "`params` と `grads` は、パラメータの名前をキーとする辞書です。"
        "空欄【あ】〜【う】に入るものを、それぞれ選んでください。\n\n"
        f"```python\n{_CLASS}```"
    ),
    "momentum-torch": (
        "『ゼロから作る』の `Momentum(lr=0.01, momentum=0.9)` で書いた学習を、PyTorch に移します。"
        "次のコードの損失は $\\sum_i w_i^2$ で、学習率は最後まで変えません。\n\n"
        f"```python\n{_TORCH}```"
    ),
}

QUESTIONS = [
    {
        "id": "momentum-concept-idea",
        "kind": "concept",
        "keyword": "モメンタム",
        "difficulty": 1,
        "stem": (
            "細長い谷では、SGD は急な方向に往復しながら、谷底に沿った平らな方向にはなかなか進みません。"
            "モメンタム（momentum）がこの弱点を補う仕組みとして、正しいものはどれですか。"
        ),
        "choices": [
            (
                "過去の勾配をためた速度で進むので、符号が毎回変わる方向では打ち消し合い、"
                "向きがそろう方向では加速する。"
            ),
            "パラメータごとに勾配の 2 乗を累積し、その平方根で学習率を割って、急な方向の歩幅を小さくする。",
            "慣性で進んだ先の点で勾配を計算し、その勾配で速度を更新して行き過ぎを抑える。",
            "学習率をステップごとに小さくしていき、振動の幅を徐々に減らして最小点に止める。",
        ],
        "answer": 0,
        "explanation": (
            "（ア）が正しい説明です。速度 $v$ は過去の勾配の指数的な重み付きの和です。"
            "向きがそろう方向では歩幅が $\\eta/(1-\\alpha)$ に近づき、"
            "符号が交互に変わる方向では打ち消し合います。\n\n"
            "- （イ）は AdaGrad の仕組みです。モメンタムは勾配の 2 乗を使いません。\n"
            "- （ウ）はネステロフのモメンタムの先読み勾配です。古典的なモメンタムは、"
            "いまの点で勾配を計算します。\n"
            "- （エ）は学習率スケジュールの考え方で、モメンタムの更新式には含まれません。"
        ),
    },
    {
        "id": "momentum-formula-zero",
        "kind": "formula",
        "keyword": "モメンタム",
        "difficulty": 1,
        "stem": (
            "E資格と『ゼロから作る』の形で、モメンタムの更新式として正しいものはどれですか。"
            "$W$ はパラメータ、$v$ は速度（初期値 0）、$\\eta$ は学習率、$\\alpha$ はモメンタム係数です。"
        ),
        "choices": [
            "$v \\leftarrow \\alpha v + \\eta \\dfrac{\\partial L}{\\partial W},\\quad W \\leftarrow W + v$",
            (
                "$v \\leftarrow \\alpha v - \\eta \\dfrac{\\partial L}{\\partial W},\\quad W \\leftarrow W "
                "- \\eta v$"
            ),
            "$v \\leftarrow \\alpha v - \\eta \\dfrac{\\partial L}{\\partial W},\\quad W \\leftarrow W + v$",
            "$v \\leftarrow \\alpha v - \\eta \\dfrac{\\partial L}{\\partial W},\\quad W \\leftarrow W - v$",
        ],
        "answer": 2,
        "explanation": (
            "（ウ）が正しい式です。速度 $v$ は学習率を含む「1 ステップで動く量」で、$W$ "
            "にそのまま足します。\n\n"
            "- （ア）は勾配の項の符号が逆です。$v$ が勾配の向きにたまり、損失が増える向きに進みます。\n"
            "- （イ）は $v$ にすでに $\\eta$ が入っているのに、もう一度 $\\eta$ を掛けています。"
            "PyTorch 形式の $\\theta \\leftarrow \\theta - \\eta b$ との混同です。\n"
            "- （エ）は $v$ を引いています。$v$ は下る向きを指しているので、引くと上る向きに進みます。"
        ),
    },
    {
        "id": "momentum-formula-forms",
        "kind": "formula",
        "keyword": "モメンタム",
        "difficulty": 2,
        "stem": (
            "PyTorch の `SGD(momentum=α)` は、学習率を含まないバッファ $b_t$ を使います。"
            "$b_1 = g_1$、$b_t = \\alpha b_{t-1} + g_t$、$\\theta_t = \\theta_{t-1} - \\eta b_t$ です。"
            "学習率 $\\eta$ が一定のとき、『ゼロから作る』の速度 $v_t$ との関係として正しいものはどれですか。"
        ),
        "choices": [
            "$v_t = \\eta\\, b_t$",
            "$v_t = -\\eta\\, b_t$",
            "$v_t = -b_t / \\eta$",
            "$v_t = -(1 - \\alpha)\\, \\eta\\, b_t$",
        ],
        "answer": 1,
        "explanation": (
            "（イ）が正しい関係です。$t = 1$ では $v_1 = -\\eta g_1 = -\\eta b_1$ です。"
            "$v_{t-1} = -\\eta b_{t-1}$ なら $v_t = \\alpha v_{t-1} - \\eta g_t = -\\eta(\\alpha b_{t-1} + "
            "g_t) = -\\eta b_t$ です。"
            "そのため 2 つの形式は同じ点列を作ります。\n\n"
            "- （ア）は符号が逆です。$b_t$ は勾配の和で、速度は下る向きなので $-\\eta$ 倍です。\n"
            "- （ウ）は $\\eta$ を掛けるところで割っています。\n"
            "- （エ）は余分な $1 - \\alpha$ が掛かっています。"
            "$v_t$ と $b_t$ は、どちらも勾配の重み付きの和です。"
        ),
    },
    {
        "id": "momentum-concept-lr-change",
        "kind": "concept",
        "keyword": "発展",
        "difficulty": 3,
        "stem": (
            "学習の途中で学習率を下げたとき、PyTorch 形式（バッファ $b$）と『ゼロから作る』形式（速度 $v$）の"
            "モメンタムはどう振る舞いますか。正しいものを選んでください。"
        ),
        "choices": [
            "『ゼロから作る』形式では、たまった速度全体に新しい学習率がすぐに効く。"
            "PyTorch 形式では、古い学習率の分がしばらく残る。",
            "どちらの形式も、学習率を変えると同時に速度が 0 に戻り、そこから加速し直す。",
            "学習率が変わっても、2 つの形式はいつも同じ点列を作る。",
            "PyTorch 形式では、たまったバッファ全体に新しい学習率がすぐに効く。"
            "『ゼロから作る』形式では、古い学習率を含んだ速度が $\\alpha$ 倍ずつしか減らない。",
        ],
        "answer": 3,
        "explanation": (
            "（エ）が正しい説明です。PyTorch 形式の移動量は $\\eta_t b_t$ で、"
            "いまの学習率が過去の勾配すべてに掛かります。"
            "『ゼロから作る』形式の $v$ は、各勾配にそのときの学習率を掛けて持ち越します。\n\n"
            "- （ア）は 2 つの形式を逆に述べています。\n"
            "- （イ）どちらの形式も、学習率の変更で速度やバッファを 0 に戻すことはありません。\n"
            "- （ウ）2 つの形式が同じ点列になるのは、学習率が一定のときだけです。"
        ),
    },
    {
        "id": "momentum-calc-velocity",
        "kind": "calculation",
        "keyword": "モメンタム",
        "difficulty": 2,
        "stem": (
            "『ゼロから作る』の `Momentum` を `lr=0.1`、`momentum=0.9` で使います。"
            "勾配が毎回 $\\dfrac{\\partial L}{\\partial W} = 2$ のとき、"
            "3 回目の `update` のあとの速度 $v$ の値はいくつですか。"
        ),
        "choices": ["$0.542$", "$-0.542$", "$-0.600$", "$-2.000$"],
        "answer": 1,
        "explanation": (
            "（イ）が正しい値です。$\\eta g = 0.2$ なので、1 回ずつ計算します。\n\n"
            "$$v_1 = -0.2,\\quad v_2 = 0.9 \\times (-0.2) - 0.2 = -0.38,\\quad v_3 = 0.9 \\times (-0.38) - "
            "0.2 = -0.542$$\n\n"
            "- （ア）は符号が逆です。速度は勾配と逆の向きにたまります。\n"
            "- （ウ）は $\\alpha$ を掛け忘れて $-0.2$ を 3 回足した値です。\n"
            "- （エ）は極限 $-\\eta g/(1-\\alpha)$ です。そこに近づくには何十ステップもかかります。"
        ),
    },
    {
        "id": "momentum-calc-effective-lr",
        "kind": "calculation",
        "keyword": "モメンタム",
        "difficulty": 2,
        "stem": (
            "`lr=0.1` の SGD で学習していたモデルを、`momentum=0.9` のモメンタムに切り替えます。"
            "勾配が一定の平らな方向で、最終的な 1 ステップの移動量を SGD と同じにしたいとします。"
            "モメンタムの `lr` をいくつにすればよいですか。"
        ),
        "choices": ["$0.1$", "$1.0$", "$0.01$", "$0.09$"],
        "answer": 2,
        "explanation": (
            "（ウ）が正しい値です。勾配が一定の $g$ なら、移動量は $\\eta g (1-\\alpha^t)/(1-\\alpha)$ で、"
            "$\\eta g/(1-\\alpha)$ に近づきます。実効学習率（effective learning rate）は $\\eta/(1-\\alpha)"
            " = 10\\eta$ です。"
            "$10\\eta = 0.1$ から $\\eta = 0.01$ です。\n\n"
            "- （ア）は学習率をそのままにした値です。移動量は SGD の 10 倍になります。\n"
            "- （イ）は $1-\\alpha$ で割った値です。掛けるところで割ったため、移動量は 100 倍になります。\n"
            "- （エ）は $1-\\alpha$ の代わりに $\\alpha$ を掛けた値です。移動量は 9 倍になります。"
        ),
    },
    {
        "id": "momentum-calc-lr-change",
        "kind": "calculation",
        "keyword": "発展",
        "difficulty": 3,
        "stem": (
            "勾配が毎回 1 の問題で、`momentum=0.9` のモメンタムを使います。"
            "学習率は 1・2 ステップ目が 0.1 で、3 ステップ目だけ 0.01 に下げます。"
            "3 ステップ目に $W$ が動く距離を、PyTorch の `torch.optim.SGD` と『ゼロから作る』の `Momentum` "
            "の順に並べたものはどれですか。"
        ),
        "choices": [
            "$(0.0271,\\ 0.181)$",
            "$(0.181,\\ 0.0271)$",
            "$(0.0271,\\ 0.0271)$",
            "$(0.271,\\ 0.181)$",
        ],
        "answer": 0,
        "explanation": (
            "（ア）が正しい組です。PyTorch 形式のバッファは $b_3 = 1 + 0.9 + 0.81 = 2.71$ です。"
            "移動量は新しい学習率を掛けた $0.01 \\times 2.71 = 0.0271$ です。"
            "『ゼロから作る』形式では $v_2 = -0.1 \\times 1.9 = -0.19$ が古い学習率を含んだまま残ります。"
            "$v_3 = 0.9 \\times (-0.19) - 0.01 = -0.181$ です。\n\n"
            "- （イ）は 2 つの形式を逆にしています。\n"
            "- （ウ）は、学習率を変えても 2 つの形式が同じ点列になると考えた誤りです。"
            "同じになるのは学習率が一定のときだけです。\n"
            "- （エ）は PyTorch 形式に古い学習率 0.1 を掛けた値です。"
        ),
    },
    {
        "id": "momentum-class-a",
        "group": "momentum-class",
        "blank": "【あ】",
        "kind": "code",
        "keyword": "モメンタム",
        "difficulty": 1,
        "stem": "【あ】に入るものを選んでください。",
        "choices": ["np.zeros_like(val)", "np.ones_like(val)", "grads[key]", "val"],
        "answer": 0,
        "explanation": (
            "（ア）が正しいコードです。速度は $v_0 = 0$ から始めるので、最初の更新は $v_1 = -\\eta g_1$ で "
            "SGD と同じ 1 歩です。\n\n"
            "- （イ）は速度を 1 で始めます。最初の更新で、勾配と無関係に $\\alpha$ だけ余分に動きます。\n"
            "- （ウ）は PyTorch のバッファの $b_1 = g_1$ との混同です。"
            "速度に入れると $v_1 = (\\alpha - \\eta) g_1$ となり、上る向きに動くこともあります。\n"
            "- （エ）はパラメータの値で速度を始めます。$v_1 = \\alpha W_0 - \\eta g_1$ となり、"
            "関係のない量が加わります。"
        ),
    },
    {
        "id": "momentum-class-b",
        "group": "momentum-class",
        "blank": "【い】",
        "kind": "code",
        "keyword": "モメンタム",
        "difficulty": 1,
        "stem": "【い】に入るものを選んでください。",
        "choices": [
            "self.momentum*self.v[key] + self.lr*grads[key]",
            "self.momentum*self.v[key] - grads[key]",
            "self.momentum*self.v[key] - (1 - self.momentum)*self.lr*grads[key]",
            "self.momentum*self.v[key] - self.lr*grads[key]",
        ],
        "answer": 3,
        "explanation": (
            "（エ）が正しいコードです。$v \\leftarrow \\alpha v - \\eta \\dfrac{\\partial L}{\\partial W}$ "
            "をそのまま書いたものです。\n\n"
            "- （ア）は勾配の項の符号が逆で、損失が増える向きに進みます。\n"
            "- （イ）は学習率を掛け忘れています。PyTorch のバッファ $b$ は学習率を含みませんが、速度 $v$ "
            "は含みます。\n"
            "- （ウ）は Adam の $m$ のような平均の形です。勾配に $1 - \\alpha$ が掛かり、"
            "歩幅が小さくなります。"
        ),
    },
    {
        "id": "momentum-class-c",
        "group": "momentum-class",
        "blank": "【う】",
        "kind": "code",
        "keyword": "モメンタム",
        "difficulty": 2,
        "stem": "【う】に入るものを選んでください。",
        "choices": [
            "params[key] -= self.v[key]",
            "params[key] -= self.lr * self.v[key]",
            "params[key] += self.v[key]",
            "params[key] = self.v[key]",
        ],
        "answer": 2,
        "explanation": (
            "（ウ）が正しいコードです。速度 $v$ は 1 ステップで動く量そのものなので、$W \\leftarrow W + v$ "
            "です。\n\n"
            "- （ア）は $v$ を引いています。$v$ はすでに下る向きを指しているので、上る向きに進みます。\n"
            "- （イ）は学習率をもう一度掛けています。PyTorch 形式の $\\theta \\leftarrow \\theta - \\eta b$"
            " との混同です。\n"
            "- （エ）は `+=` の代わりに `=` を書いています。パラメータが速度に置き換わり、"
            "元の値が失われます。"
        ),
    },
    {
        "id": "momentum-torch-sgd",
        "group": "momentum-torch",
        "blank": "【あ】",
        "kind": "code",
        "keyword": "モメンタム",
        "difficulty": 2,
        "stem": (
            "『ゼロから作る』の `Momentum(lr=0.01, momentum=0.9)` と同じ点列を作るには、"
            "【あ】に何を書けばよいですか。"
        ),
        "choices": [
            "torch.optim.SGD([w], lr=0.01)",
            "torch.optim.SGD([w], lr=0.01, momentum=0.9)",
            "torch.optim.SGD([w], lr=0.01, momentum=0.9, nesterov=True)",
            "torch.optim.SGD([w], lr=0.01, momentum=0.9, dampening=0.9)",
        ],
        "answer": 1,
        "explanation": (
            "（イ）が正しいコードです。PyTorch のバッファ $b$ と『ゼロから作る』の速度 $v$ は、"
            "学習率が一定なら $v = -\\eta b$ の関係にあり、同じ点列になります。\n\n"
            "- （ア）は `momentum` を書き忘れています。PyTorch の `momentum` の既定値は 0 なので、ただの "
            "SGD です。\n"
            "- （ウ）はネステロフのモメンタムで、1 ステップ目から移動量が $(1 + \\alpha)$ 倍になります。\n"
            "- （エ）の `dampening=0.9` は、2 ステップ目から新しい勾配を $1 - 0.9$ 倍して加えます。"
            "歩幅がおよそ 10 分の 1 になります。"
        ),
    },
]
