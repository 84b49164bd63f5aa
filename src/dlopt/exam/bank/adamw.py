"""E資格形式の問題：AdamW（chapters/adamw）。"""

GROUPS = {
    "adamw-class": (
        "次のコードは、『ゼロから作るDeep Learning』の Adam に、PyTorch の `torch.optim.AdamW` と同じ"
        "分離された重み減衰（decoupled weight decay）を加えたクラスです。"
        "`weight_decay` は重み減衰の係数 $\\lambda$ です。"
        "空欄【あ】〜【う】に入る行を、それぞれ選んでください。\n\n"
        "```python\n"
        "import numpy as np\n"
        "\n"
        "\n"
        "class AdamW:\n"
        "    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, weight_decay=0.01):\n"
        "        self.lr = lr\n"
        "        self.beta1 = beta1\n"
        "        self.beta2 = beta2\n"
        "        self.weight_decay = weight_decay\n"
        "        self.iter = 0\n"
        "        self.m = None\n"
        "        self.v = None\n"
        "\n"
        "    def update(self, params, grads):\n"
        "        if self.m is None:\n"
        "            self.m, self.v = {}, {}\n"
        "            for key, val in params.items():\n"
        "                self.m[key] = np.zeros_like(val)\n"
        "                self.v[key] = np.zeros_like(val)\n"
        "\n"
        "        self.iter += 1\n"
        "        lr_t = self.lr * np.sqrt(1.0 - self.beta2**self.iter) / (1.0 - self.beta1**self.iter)\n"
        "\n"
        "        for key in params.keys():\n"
        "            【あ】\n"
        "            【い】\n"
        "            self.v[key] += (1 - self.beta2) * (grads[key]**2 - self.v[key])\n"
        "            【う】\n"
        "```"
    ),
    "adamw-torch": (
        "次の PyTorch のコードで、学習率 $\\eta = 0.01$、重み減衰の係数 $\\lambda = 0.1$ の AdamW "
        "を使って学習します。"
        "1 ステップでパラメータを $1 - \\eta\\lambda$ 倍に縮める、分離された重み減衰です。\n\n"
        "```python\n"
        "import torch\n"
        "\n"
        "torch.manual_seed(0)\n"
        "model = torch.nn.Linear(4, 3)\n"
        "x, t = torch.randn(8, 4), torch.randn(8, 3)\n"
        "optimizer = 【あ】\n"
        "for _ in range(20):\n"
        "    optimizer.zero_grad()\n"
        "    loss = ((model(x) - t) ** 2).mean()\n"
        "    loss.backward()\n"
        "    optimizer.step()\n"
        "```"
    ),
}

QUESTIONS = [
    {
        "id": "adamw-concept-1",
        "kind": "concept",
        "keyword": "発展",
        "difficulty": 1,
        "stem": (
            "PyTorch の `torch.optim.Adam(weight_decay=...)` と `torch.optim.AdamW(weight_decay=...)` "
            "の違いとして、"
            "正しいものを選んでください。"
        ),
        "choices": [
            "`Adam` は勾配に $\\lambda'\\theta$ を足す L2 正則化で、この項も $\\sqrt{\\hat v_t}$ で割られる。"
            "`AdamW` は $\\theta$ を $1 - \\eta\\lambda$ 倍に縮め、$m_t, v_t$ には損失の勾配だけが入る。",
            "`Adam` と `AdamW` は同じ計算をし、違うのは `weight_decay` の既定値だけである。",
            "`AdamW` は勾配に $\\lambda\\theta$ を足し、`Adam` はパラメータを直接縮める。",
            "`AdamW` の減衰には学習率が掛からず、1 ステップで $\\lambda$ の割合だけ縮める。",
        ],
        "answer": 0,
        "explanation": (
            "（ア）が正しい説明です。"
            "`Adam` の `weight_decay` では正則化の項も $\\sqrt{\\hat v_t}$ で割られ、"
            "勾配の大きい成分ほど減衰が弱まります。"
            "`AdamW` は減衰を勾配から切り離し、どの成分も同じ割合 $\\eta\\lambda$ で縮めます。\n\n"
            "- （イ）は誤りです。既定値（`Adam` は 0、`AdamW` は 0.01）も違いますが、計算そのものが違います。"
            "\n"
            "- （ウ）は 2 つを逆にしています。\n"
            "- （エ）は論文の形の $\\lambda_{\\text{論文}}$ の説明です。PyTorch の `AdamW` は学習率 `lr` "
            "を掛け、"
            "1 ステップで $\\eta\\lambda$ の割合だけ縮めます。"
        ),
    },
    {
        "id": "adamw-formula-update",
        "kind": "formula",
        "keyword": "発展",
        "difficulty": 2,
        "stem": (
            "PyTorch の AdamW の 1 ステップを 1 本の式で書いたものはどれですか。"
            "$u_t = \\hat m_t/(\\sqrt{\\hat v_t} + \\varepsilon)$ は、損失の勾配 $g_t$ だけから作った Adam "
            "の更新量です。"
        ),
        "choices": [
            "$\\theta_t = \\theta_{t-1} - \\eta\\, u_t - \\lambda\\, \\theta_{t-1}$",
            "$\\theta_t = (1 - \\eta\\lambda)(\\theta_{t-1} - \\eta\\, u_t)$",
            "$\\theta_t = \\theta_{t-1} - \\eta\\, (u_t + \\lambda\\, \\theta_{t-1})$",
            "$\\theta_t = \\theta_{t-1} - \\eta\\, \\tilde u_t$（$\\tilde u_t$ は $g_t + "
            "\\lambda\\theta_{t-1}$ から"
            " $m_t, v_t$ を作った Adam の更新量）",
        ],
        "answer": 2,
        "explanation": (
            "（ウ）が正しい式です。"
            "PyTorch は先に $\\theta' = (1 - \\eta\\lambda)\\theta_{t-1}$ と縮め、次に $\\theta_t = \\theta' "
            "- \\eta u_t$ とします。"
            "$u_t$ は $\\theta$ によらないので、まとめると（ウ）になります。\n\n"
            "- （ア）は減衰に学習率を掛けていません。PyTorch の $\\lambda$ は $\\eta$ と掛けて使います。\n"
            "- （イ）は減衰を Adam の更新の後にかけた式です。$\\eta^2\\lambda u_t$ だけずれます。\n"
            "- （エ）は Adam + L2（`torch.optim.Adam` の `weight_decay`）の式です。"
        ),
    },
    {
        "id": "adamw-calc-first-step",
        "kind": "calculation",
        "keyword": "発展",
        "difficulty": 1,
        "stem": (
            "損失の勾配が常に 0 の 1 次元のパラメータ $\\theta_0 = 2$ を、"
            "`torch.optim.AdamW(lr=0.01, weight_decay=0.1)` で 1 ステップ更新します。$\\theta_1$ "
            "はいくつですか。"
        ),
        "choices": ["$2.000$", "$1.990$", "$1.800$", "$1.998$"],
        "answer": 3,
        "explanation": (
            "（エ）が正解です。"
            "勾配が 0 なので $m_1 = v_1 = 0$ で、Adam の更新量は $0/(0 + \\varepsilon) = 0$ です。"
            "減衰だけが残り、$\\theta_1 = (1 - 0.01 \\times 0.1) \\times 2 = 0.999 \\times 2 = 1.998$ です。"
            "\n\n"
            "- （ア）は、勾配が 0 なら動かないと考えています。AdamW の減衰は勾配と関係なくかかります。\n"
            "- （イ）は Adam + L2 の値です。"
            "勾配 $\\lambda'\\theta_0$ が $\\sqrt{\\hat v_1}$ で割られ、$\\lambda'$ によらず約 $\\eta$ "
            "だけ動きます。\n"
            "- （ウ）は学習率を掛け忘れ、$1 - \\lambda = 0.9$ 倍にしています。"
        ),
    },
    {
        "id": "adamw-calc-lr-change",
        "kind": "calculation",
        "keyword": "発展",
        "difficulty": 2,
        "stem": (
            "PyTorch の AdamW を `lr=1e-3, weight_decay=0.05` で調整し終えました。"
            "学習率を `lr=5e-4` に下げても、1 ステップの減衰 $\\eta\\lambda$ を保ちたいとします。"
            "`weight_decay` をいくつにしますか。"
        ),
        "choices": ["$0.025$", "$0.100$", "$0.050$", "$5.0 \\times 10^{-5}$"],
        "answer": 1,
        "explanation": (
            "（イ）が正解です。"
            "1 ステップの減衰は $\\eta\\lambda = 10^{-3} \\times 0.05 = 5 \\times 10^{-5}$ です。"
            "$\\eta = 5 \\times 10^{-4}$ でこれを保つには、$\\lambda = 5 \\times 10^{-5}/(5 \\times 10^{-4}) "
            "= 0.1$ にします。\n\n"
            "- （ア）は逆向きに、学習率と一緒に $\\lambda$ も半分にしています。1 ステップの減衰は 4 分の 1 "
            "になります。\n"
            "- （ウ）は $\\lambda$ を変えていません。"
            "論文の形なら変えなくてよいのですが、PyTorch の形では減衰が半分になります。\n"
            "- （エ）は積 $\\eta\\lambda$ そのものです。`weight_decay` には学習率を掛ける前の $\\lambda$ "
            "を渡します。"
        ),
    },
    {
        "id": "adamw-calc-paper",
        "kind": "calculation",
        "keyword": "発展",
        "difficulty": 3,
        "stem": (
            "モメンタムのない SGD で、学習率 $\\eta = 0.1$ と L2 正則化の係数 $\\lambda' = 5 \\times "
            "10^{-4}$ を使っています。"
            "損失に $\\frac{\\lambda'}{2}\\|\\theta\\|^2$ を足す形です。"
            "これと同じ計算になる、論文の形の重み減衰の係数 $\\lambda_{\\text{論文}}$（1 ステップで縮む割合）"
            "はいくつですか。"
        ),
        "choices": [
            "$5 \\times 10^{-4}$",
            "$5 \\times 10^{-3}$",
            "$5 \\times 10^{-5}$",
            "$2.5 \\times 10^{-5}$",
        ],
        "answer": 2,
        "explanation": (
            "（ウ）が正解です。"
            "L2 正則化の勾配は $\\lambda'\\theta$ なので、1 ステップは $\\theta_t = (1 - "
            "\\eta\\lambda')\\theta_{t-1} - \\eta g_t$ です。"
            "縮む割合は $\\lambda_{\\text{論文}} = \\eta\\lambda' = 0.1 \\times 5 \\times 10^{-4} = 5 "
            "\\times 10^{-5}$ です。\n\n"
            "- （ア）は PyTorch の形の $\\lambda$ です。PyTorch の $\\lambda$ は $\\eta$ と掛けて使うので、"
            "$\\lambda = \\lambda'$ です。\n"
            "- （イ）は $\\eta$ で割っています（$\\lambda'/\\eta$）。\n"
            "- （エ）は $\\frac{\\lambda'}{2}\\|\\theta\\|^2$ の $\\frac12$ を残しています。微分すると "
            "$\\frac12$ は消え、勾配は $\\lambda'\\theta$ です。"
        ),
    },
    {
        "id": "adamw-formula-order",
        "kind": "formula",
        "keyword": "発展",
        "difficulty": 3,
        "stem": (
            "PyTorch の AdamW は、Adam の更新より先に $\\theta \\leftarrow (1 - \\eta\\lambda)\\theta$ "
            "と縮めます。"
            "Adam の更新量を $u_t = \\hat m_t/(\\sqrt{\\hat v_t} + \\varepsilon)$ とします。"
            "減衰を Adam の更新の後に（更新後の $\\theta$ に）かけると、$\\theta_t$ "
            "は先にかけた場合よりどれだけ大きくなりますか。"
        ),
        "choices": [
            "$\\eta^2\\lambda\\, u_t$",
            "$\\eta\\lambda\\, u_t$",
            "$-\\eta^2\\lambda\\, u_t$",
            "$0$（$u_t$ は $\\theta$ によらないので同じになる）",
        ],
        "answer": 0,
        "explanation": (
            "（ア）が正解です。"
            "先にかけると $\\theta_t = (1 - \\eta\\lambda)\\theta_{t-1} - \\eta u_t$ です。"
            "後にかけると $(1 - \\eta\\lambda)(\\theta_{t-1} - \\eta u_t) = (1 - \\eta\\lambda)\\theta_{t-1} "
            "- \\eta u_t + \\eta^2\\lambda u_t$ です。"
            "$\\eta = 10^{-3}$、$\\lambda = 0.01$、$u_t = 1$ なら差は $10^{-8}$ で、"
            "学習の結果にはまず効きません。\n\n"
            "- （イ）は $\\eta$ を 1 つ落としています。更新量 $\\eta u_t$ に $\\eta\\lambda$ が掛かるので、"
            "$\\eta$ は 2 つです。\n"
            "- （ウ）は符号が逆です。後にかけると更新量 $\\eta u_t$ も縮むので、引く量が減り、$\\theta_t$ "
            "は大きくなります。\n"
            "- （エ）は誤りです。$u_t$ は $\\theta$ によりませんが、後にかけると $\\eta u_t$ にも $1 - "
            "\\eta\\lambda$ が掛かります。"
        ),
    },
    {
        "id": "adamw-concept-zero-grad",
        "kind": "concept",
        "keyword": "発展",
        "difficulty": 2,
        "stem": (
            "損失の勾配が 0 の成分を、Adam + L2（`torch.optim.Adam(weight_decay=λ')`）で更新し続けます。"
            "その成分の動きとして正しいものを選んでください。"
        ),
        "choices": [
            "$\\lambda'$ に比例した割合で、毎ステップ指数関数的に 0 へ縮む。",
            "$\\lambda'$ によらず、毎ステップ約 $\\eta$ ずつ 0 へ動く。",
            "正則化の項は $\\sqrt{\\hat v_t}$ で割られないので、AdamW と同じ割合で縮む。",
            "損失の勾配が 0 なので $m_t$ は 0 のままで、まったく動かない。",
        ],
        "answer": 1,
        "explanation": (
            "（イ）が正しい説明です。"
            "勾配は $\\lambda'\\theta$ だけなので、$\\hat m_t \\approx \\lambda'\\theta$、$\\sqrt{\\hat v_t} "
            "\\approx \\lambda'|\\theta|$ です。"
            "$\\lambda'$ が打ち消し合い、1 ステップの移動は約 $\\eta$ になります。\n\n"
            "- （ア）は AdamW の動き（$1 - \\eta\\lambda$ 倍ずつ縮む）です。\n"
            "- （ウ）は誤りです。Adam + L2 では正則化の項も勾配として $m_t, v_t$ に入り、$\\sqrt{\\hat v_t}$ "
            "で割られます。\n"
            "- （エ）は誤りです。勾配に $\\lambda'\\theta$ が足されるので、$m_t$ は 0 になりません。"
        ),
    },
    {
        "id": "adamw-concept-groups",
        "kind": "concept",
        "keyword": "発展",
        "difficulty": 1,
        "stem": "AdamW の `weight_decay` をかけるパラメータについて、実務で定番の設定を選んでください。",
        "choices": [
            "重みもバイアスも正規化層のパラメータも、同じ `weight_decay` で減衰させる。",
            "バイアスと正規化層のパラメータだけを減衰させ、重み行列は減衰させない。",
            "SGD の L2 正則化でよく使う `5e-4` を、そのまま AdamW の `weight_decay` に渡す。",
            "2 次元以上の重みだけを減衰させ、バイアスと正規化層のパラメータは減衰させない。",
        ],
        "answer": 3,
        "explanation": (
            "（エ）が定番です。"
            "PyTorch ではパラメータグループで `weight_decay` を分けます。nanoGPT も `p.dim() >= 2` "
            "で分けています。\n\n"
            "- （ア）は、バイアスや正規化層のスケールまで 0 に引き寄せます。過学習を防ぐ効果はなく、"
            "正規化層の出力の大きさが変わります。\n"
            "- （イ）は逆です。重み減衰の目的は重み行列の大きさを抑えることです。\n"
            "- （ウ）は数値の意味の違いを見落としています。"
            "AdamW の 1 ステップの減衰は $\\eta\\lambda$ なので、`lr=1e-3` では $5 \\times 10^{-7}$ "
            "と小さすぎます。"
        ),
    },
    {
        "id": "adamw-concept-keras",
        "kind": "concept",
        "keyword": "発展",
        "difficulty": 3,
        "stem": "Keras 3 と PyTorch の `weight_decay` について、正しい説明を選んでください。",
        "choices": [
            "どちらの `Adam` の `weight_decay` も、勾配に $\\lambda\\theta$ を足す L2 正則化である。",
            "Keras 3 の `AdamW` は学習率を掛けずに、1 ステップで $\\lambda$ の割合だけ縮める。",
            "Keras 3 の `Adam(weight_decay=...)` は分離型の減衰で、"
            "PyTorch の `torch.optim.Adam(weight_decay=...)` は L2 正則化である。",
            "`weight_decay` の既定値は、PyTorch の `AdamW` が 0.004 で、Keras 3 の `AdamW` が 0.01 である。",
        ],
        "answer": 2,
        "explanation": (
            "（ウ）が正しい説明です。"
            "Keras 3 では、どの最適化手法でも `weight_decay` を指定すると、基底クラスが $\\theta$ から "
            "$\\eta\\lambda\\theta$ を引きます。"
            "同じ `Adam` と `weight_decay` という名前で、計算が違います。\n\n"
            "- （ア）は Keras 3 について誤りです。L2 正則化なのは PyTorch の `Adam` だけです。\n"
            "- （イ）は誤りです。Keras 3 も PyTorch と同じく、学習率を掛けた $\\eta\\lambda$ "
            "の割合で縮めます。\n"
            "- （エ）は既定値を入れ替えています。PyTorch の `AdamW` が 0.01、Keras 3 の `AdamW` が 0.004 "
            "です。"
        ),
    },
    {
        "id": "adamw-class-a",
        "group": "adamw-class",
        "blank": "【あ】",
        "kind": "code",
        "keyword": "発展",
        "difficulty": 2,
        "stem": ("【あ】には、分離された重み減衰をかける行が入ります。正しいものを選んでください。"),
        "choices": [
            "params[key] -= self.lr * self.weight_decay * params[key]",
            "params[key] -= lr_t * self.weight_decay * params[key]",
            "params[key] -= self.weight_decay * params[key]",
            "grads[key] = grads[key] + self.weight_decay * params[key]",
        ],
        "answer": 0,
        "explanation": (
            "（ア）が正解です。"
            "PyTorch の AdamW と同じく、Adam の更新より先に $\\theta \\leftarrow \\theta - "
            "\\eta\\lambda\\theta$ と縮めます。\n\n"
            "- （イ）はバイアス補正を含む `lr_t` を掛けています。"
            "`lr_t` は Adam の更新量のための学習率で、減衰には `self.lr` を使います。\n"
            "- （ウ）は学習率を掛け忘れています。論文の形の $\\lambda_{\\text{論文}}$ に PyTorch "
            "の値を入れたのと同じです。\n"
            "- （エ）は勾配に $\\lambda\\theta$ を足す Adam + L2 です。正則化の項も $\\sqrt{v}$ "
            "で割られます。"
        ),
    },
    {
        "id": "adamw-class-b",
        "group": "adamw-class",
        "blank": "【い】",
        "kind": "code",
        "keyword": "発展",
        "difficulty": 2,
        "stem": (
            "【い】には、1 次モーメント `self.m[key]` を更新する行が入ります。正しいものを選んでください。"
        ),
        "choices": [
            "self.m[key] += self.beta1 * (grads[key] - self.m[key])",
            "self.m[key] += (1 - self.beta1) * (self.m[key] - grads[key])",
            "self.m[key] += (1 - self.beta1) * (grads[key] + self.weight_decay * params[key] - self.m[key])",
            "self.m[key] += (1 - self.beta1) * (grads[key] - self.m[key])",
        ],
        "answer": 3,
        "explanation": (
            "（エ）が正解です。"
            "AdamW の $m_t$ には損失の勾配 $g_t$ だけが入ります。"
            "『ゼロから作る』の Adam と同じ $m \\leftarrow m + (1 - \\beta_1)(g - m)$ です。\n\n"
            "- （ア）は $1 - \\beta_1$ と $\\beta_1$ を取り違えています。\n"
            "- （イ）は引き算の順が逆で、$m$ が勾配から遠ざかります。\n"
            "- （ウ）は $m_t$ に $\\lambda\\theta$ を入れています。"
            "【あ】の減衰と二重にかかるうえ、分離したはずの減衰が Adam の更新量に混ざります。"
        ),
    },
    {
        "id": "adamw-class-c",
        "group": "adamw-class",
        "blank": "【う】",
        "kind": "code",
        "keyword": "発展",
        "difficulty": 3,
        "stem": ("【う】には、Adam の更新をする行が入ります。正しいものを選んでください。"),
        "choices": [
            "params[key] -= lr_t * (self.m[key] / (np.sqrt(self.v[key]) + 1e-7) + self.weight_decay * "
            "params[key])",
            "params[key] -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)",
            "params[key] -= self.lr * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)",
            "params[key] -= lr_t * self.m[key] / np.sqrt(self.v[key] + 1e-7)",
        ],
        "answer": 1,
        "explanation": (
            "（イ）が正解です。減衰は【あ】で済んでいるので、ここは『ゼロから作る』の Adam と同じ更新です。"
            "\n\n"
            "- （ア）は減衰をもう一度かけています。しかも学習率が `lr_t` です。\n"
            "- （ウ）は `lr_t` ではなく `self.lr` を使い、バイアス補正がなくなっています。\n"
            "- （エ）は $10^{-7}$ を平方根の中に入れています。勾配が小さい成分の歩幅が変わります。"
        ),
    },
    {
        "id": "adamw-torch-a",
        "group": "adamw-torch",
        "blank": "【あ】",
        "kind": "code",
        "keyword": "発展",
        "difficulty": 2,
        "stem": "【あ】に入るものを選んでください。",
        "choices": [
            "torch.optim.Adam(model.parameters(), lr=0.01, weight_decay=0.1)",
            "torch.optim.AdamW(model.parameters(), lr=0.01)",
            "torch.optim.AdamW(model.parameters(), lr=0.01, weight_decay=0.1)",
            "torch.optim.AdamW(model.parameters(), lr=0.01, weight_decay=0.001)",
        ],
        "answer": 2,
        "explanation": (
            "（ウ）が正解です。"
            "`torch.optim.AdamW` の `weight_decay` は $\\lambda$ で、1 ステップの減衰 $\\eta\\lambda$ "
            "は内部で学習率を掛けて作られます。\n\n"
            "- （ア）の `torch.optim.Adam` の `weight_decay` は L2 正則化（Adam + L2）です。\n"
            "- （イ）は `weight_decay` を省略しています。既定値の 0.01 が使われ、$\\lambda = 0.1$ "
            "になりません。\n"
            "- （エ）は積 $\\eta\\lambda = 0.001$ を渡しています。1 ステップの減衰は $\\eta \\times 0.001 = "
            "10^{-5}$ になり、"
            "意図した $\\eta\\lambda = 10^{-3}$ の 100 分の 1 に弱まります。"
        ),
    },
]
