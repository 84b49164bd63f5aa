"""E資格形式の問題：Adam（chapters/adam）。"""

GROUPS = {
    "adam-class": (
        "次のコードは『ゼロから作るDeep Learning』と同じ形の Adam です。"
        "`params` と `grads` はパラメータ名をキーとする dict で、`update` は `params` をその場で更新します。"
        "空欄【あ】〜【う】に入る行を、それぞれ選んでください。\n\n"
        "```python\n"
        "import numpy as np\n"
        "\n"
        "\n"
        "class Adam:\n"
        "    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):\n"
        "        self.lr = lr\n"
        "        self.beta1 = beta1\n"
        "        self.beta2 = beta2\n"
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
        "        【あ】\n"
        "\n"
        "        for key in params.keys():\n"
        "            self.m[key] += (1 - self.beta1) * (grads[key] - self.m[key])\n"
        "            【い】\n"
        "            【う】\n"
        "```"
    ),
}

QUESTIONS = [
    {
        "id": "adam-concept-1",
        "kind": "concept",
        "keyword": "Adam",
        "difficulty": 1,
        "stem": "Adam（Adaptive Moment Estimation）の説明として正しいものを選んでください。",
        "choices": [
            "勾配の指数移動平均 $m_t$ で進む向きをならし、勾配の 2 乗の指数移動平均 $v_t$ の平方根で割って、"
            "歩幅をパラメータごとにそろえる。",
            "勾配の 2 乗の累積和で割るので、学習が進むと歩幅は単調に小さくなり続ける。",
            "勾配の 2 乗の指数移動平均で割るが、進む向きにはその時点の勾配をそのまま使う。",
            "勾配の指数移動平均で進む向きをならすが、歩幅は勾配の大きさに比例する。",
        ],
        "answer": 0,
        "explanation": (
            "（ア）が正しい説明です。"
            "Adam は、モメンタムの役割を分子の $\\hat m_t$ が、RMSProp の役割を分母の $\\sqrt{\\hat v_t}$ "
            "が果たします。\n\n"
            "- （イ）は AdaGrad の説明です。Adam の $v_t$ は累積和ではなく指数移動平均なので、"
            "歩幅は小さくなり続けません。\n"
            "- （ウ）は RMSProp の説明です。Adam は向きにも移動平均 $m_t$ を使います。\n"
            "- （エ）はモメンタムの説明です。Adam は $\\sqrt{\\hat v_t}$ で割るので、"
            "歩幅は勾配の尺度によりません。"
        ),
    },
    {
        "id": "adam-formula-bias",
        "kind": "formula",
        "keyword": "Adam",
        "difficulty": 1,
        "stem": (
            "Adam のバイアス補正（bias correction）で、ステップ $t$（1 から数える）の 1 次モーメント $m_t$ を"
            "補正した $\\hat m_t$ はどれですか。$m_0 = 0$ から始めます。"
        ),
        "choices": [
            "$\\hat m_t = \\dfrac{m_t}{1 - \\beta_1}$",
            "$\\hat m_t = m_t\\,(1 - \\beta_1^t)$",
            "$\\hat m_t = \\dfrac{m_t}{1 - \\beta_1^t}$",
            "$\\hat m_t = \\dfrac{m_t}{1 - \\beta_1^{t-1}}$",
        ],
        "answer": 2,
        "explanation": (
            "（ウ）が正しい式です。"
            "$m_0 = 0$ から始めると $\\mathbb{E}[m_t] = (1 - \\beta_1^t)\\,\\mathbb{E}[g]$ となり、"
            "$m_t$ は 0 の側に偏ります。$1 - \\beta_1^t$ で割ると、期待値が $\\mathbb{E}[g]$ に戻ります。\n\n"
            "- （ア）は指数に $t$ がありません。1 ステップ目だけは正しいのですが、"
            "$t$ が大きくなっても $1/(1 - \\beta_1) = 10$ 倍のままで、補正が消えません。\n"
            "- （イ）は割る代わりに掛けています。偏りが逆に大きくなります。\n"
            "- （エ）は $t$ を 0 から数えた間違いです。$t = 1$ で分母が 0 になります。"
        ),
    },
    {
        "id": "adam-formula-update",
        "kind": "formula",
        "keyword": "Adam",
        "difficulty": 2,
        "stem": (
            "論文の Algorithm 1 と PyTorch の `torch.optim.Adam` での、Adam "
            "のパラメータの更新式はどれですか。"
            "$\\hat m_t, \\hat v_t$ はバイアス補正した 1 次・2 次モーメントです。"
        ),
        "choices": [
            "$\\theta_t = \\theta_{t-1} - \\eta\\, \\dfrac{\\hat m_t}{\\sqrt{\\hat v_t + \\varepsilon}}$",
            "$\\theta_t = \\theta_{t-1} - \\eta\\, \\dfrac{\\hat m_t}{\\hat v_t + \\varepsilon}$",
            "$\\theta_t = \\theta_{t-1} - \\eta\\, \\dfrac{m_t}{\\sqrt{v_t} + \\varepsilon}$",
            "$\\theta_t = \\theta_{t-1} - \\eta\\, \\dfrac{\\hat m_t}{\\sqrt{\\hat v_t} + \\varepsilon}$",
        ],
        "answer": 3,
        "explanation": (
            "（エ）が正しい式です。$\\varepsilon$ は平方根の外で、補正後の $\\sqrt{\\hat v_t}$ に足します。"
            "\n\n"
            "- （ア）は $\\varepsilon$ を平方根の中に入れています。勾配が小さい成分の歩幅が変わります。\n"
            "- （イ）は平方根がありません。$\\hat v_t$ は勾配の 2 乗の平均なので、"
            "平方根をとらないと分母の単位が勾配の 2 乗になり、歩幅が勾配の尺度に左右されます。\n"
            "- （ウ）はバイアス補正を忘れた式です。"
            "既定値 $\\beta = (0.9, 0.999)$ では、1 ステップ目の歩幅が $\\eta$ の約 3.16 倍になります。"
        ),
    },
    {
        "id": "adam-calc-no-correction",
        "kind": "calculation",
        "keyword": "Adam",
        "difficulty": 2,
        "stem": (
            "バイアス補正をしない Adam（$\\theta_t = \\theta_{t-1} - \\eta\\, m_t/(\\sqrt{v_t} + "
            "\\varepsilon)$）で、"
            "最初のステップの歩幅は学習率 $\\eta$ の何倍ですか。"
            "$\\beta_1 = 0.9$、$\\beta_2 = 0.999$、$m_0 = v_0 = 0$ とし、勾配 $g_1 \\neq 0$ に比べて "
            "$\\varepsilon$ は無視できるとします。"
        ),
        "choices": ["$100$ 倍", "$3.16$ 倍", "$0.1$ 倍", "$31.6$ 倍"],
        "answer": 1,
        "explanation": (
            "（イ）が正解です。$m_1 = (1 - \\beta_1) g_1$、$v_1 = (1 - \\beta_2) g_1^2$ なので、"
            "歩幅は次のとおりです。\n\n"
            "$$\\eta\\, \\frac{(1 - \\beta_1)|g_1|}{\\sqrt{1 - \\beta_2}\\,|g_1|} = \\eta\\, "
            "\\frac{0.1}{\\sqrt{0.001}} \\approx 3.16\\,\\eta$$\n\n"
            "- （ア）は平方根を忘れて $0.1/0.001$ としています。\n"
            "- （ウ）は分子の $1 - \\beta_1$ だけを見ています。分母の $\\sqrt{1 - \\beta_2}$ も 1 "
            "より小さいことを忘れています。\n"
            "- （エ）は分母の $1/\\sqrt{1 - \\beta_2}$ だけを見ています。分子の $1 - \\beta_1 = 0.1$ "
            "を掛け忘れています。"
        ),
    },
    {
        "id": "adam-calc-m-hat",
        "kind": "calculation",
        "keyword": "Adam",
        "difficulty": 2,
        "stem": (
            "$\\beta_1 = 0.9$、$m_0 = 0$ の Adam に、勾配 $g_1 = 1$、$g_2 = 3$ を順に与えました（1 次元）。"
            "2 ステップ目のバイアス補正した 1 次モーメント $\\hat m_2$ はいくつですか。"
        ),
        "choices": ["$2.05$", "$0.39$", "$3.90$", "$1.44$"],
        "answer": 0,
        "explanation": (
            "（ア）が正解です。"
            "$m_1 = 0.1 \\times 1 = 0.1$、$m_2 = 0.9 \\times 0.1 + 0.1 \\times 3 = 0.39$ です。"
            "補正の係数は $1 - \\beta_1^2 = 0.19$ なので、$\\hat m_2 = 0.39/0.19 \\approx 2.05$ です。"
            "2 つの勾配の重みは $0.09 : 0.3$ で、新しい勾配 3 を重く見た平均になっています。\n\n"
            "- （イ）は補正前の $m_2$ です。\n"
            "- （ウ）は $1 - \\beta_1 = 0.1$ で割っています（指数の $t$ を忘れた補正）。\n"
            "- （エ）は $1 - \\beta_1^3 = 0.271$ で割っています（$t$ を 1 つ多く数えた補正）。"
        ),
    },
    {
        "id": "adam-calc-eps",
        "kind": "calculation",
        "keyword": "発展",
        "difficulty": 3,
        "stem": (
            "『ゼロから作る』の Adam は、補正を学習率 `lr_t` にまとめ、補正前の $\\sqrt{v_t}$ に $10^{-7}$ "
            "を足します。"
            "$\\beta_2 = 0.999$ の 1 ステップ目（$t = 1$）を考えます。"
            "この計算は、PyTorch の形（補正後の $\\sqrt{\\hat v_t}$ に $\\varepsilon$ を足す）で"
            " $\\varepsilon$ をいくつにした計算と同じですか。"
        ),
        "choices": [
            "$1.00 \\times 10^{-7}$",
            "$3.16 \\times 10^{-9}$",
            "$3.16 \\times 10^{-6}$",
            "$1.00 \\times 10^{-4}$",
        ],
        "answer": 2,
        "explanation": (
            "（ウ）が正解です。分子と分母を $\\sqrt{1 - \\beta_2^t}$ で割ると、次の関係が分かります。\n\n"
            "$$\\eta_t \\frac{m_t}{\\sqrt{v_t} + 10^{-7}} = \\eta\\, \\frac{\\hat m_t}{\\sqrt{\\hat v_t} + "
            "10^{-7}/\\sqrt{1 - \\beta_2^t}}$$\n\n"
            "$t = 1$ では $\\sqrt{1 - 0.999} \\approx 0.0316$ で割るので、$10^{-7}/0.0316 \\approx 3.16 "
            "\\times 10^{-6}$ です。\n\n"
            "- （ア）は、足す位置の違いで実効的な $\\varepsilon$ が変わることを見落としています。"
            "$t \\to \\infty$ ではこの値に近づきます。\n"
            "- （イ）は $\\sqrt{1 - \\beta_2^t}$ で割る代わりに掛けています。\n"
            "- （エ）は平方根をとらずに $1 - \\beta_2 = 0.001$ で割っています。"
        ),
    },
    {
        "id": "adam-concept-eps",
        "kind": "concept",
        "keyword": "発展",
        "difficulty": 2,
        "stem": "Adam の $\\varepsilon$ を足す位置について、正しい説明を選んでください。",
        "choices": [
            "PyTorch は補正前の $\\sqrt{v_t}$ に足し、『ゼロから作る』は補正後の $\\sqrt{\\hat v_t}$ に足す。"
            "",
            "PyTorch は補正後の $\\sqrt{\\hat v_t}$ に足し、Keras 3 と『ゼロから作る』は補正前の "
            "$\\sqrt{v_t}$ に足す。",
            "どの実装も、$\\sqrt{v_t + \\varepsilon}$ のように平方根の中に足す。",
            "足す位置が違っても、実効的な $\\varepsilon$ はステップ $t$ によらず同じになる。",
        ],
        "answer": 1,
        "explanation": (
            "（イ）が正しい説明です。"
            "Keras 3 と『ゼロから作る』は、補正を学習率 $\\eta_t = \\eta\\sqrt{1 - \\beta_2^t}/(1 - "
            "\\beta_1^t)$ にまとめます。"
            "そして補正前の $\\sqrt{v_t}$ に $\\hat\\varepsilon$ を足します。\n\n"
            "- （ア）は PyTorch と『ゼロから作る』を逆にしています。\n"
            "- （ウ）の形を使う実装は、この 3 つにはありません。"
            "『ゼロから作る』のコードも `np.sqrt(self.v[key]) + 1e-7` です。\n"
            "- （エ）は誤りです。Keras 形式の実効的な $\\varepsilon$ は $\\hat\\varepsilon/\\sqrt{1 - "
            "\\beta_2^t}$ です。"
            "$t$ が小さいうちは大きく、$t \\to \\infty$ で $\\hat\\varepsilon$ に近づきます。"
        ),
    },
    {
        "id": "adam-concept-betas",
        "kind": "concept",
        "keyword": "Adam",
        "difficulty": 3,
        "stem": "Adam の減衰率 $\\beta_1, \\beta_2$ について、正しい説明を選んでください。",
        "choices": [
            "$\\beta_2$ を小さくするほど $v_t$ が直近の勾配に追従するので、学習は安定し、発散しにくくなる。",
            "$\\beta_2$ は $m_t$ の減衰率で、1 に近いほど進む向きを長く覚える。",
            "バイアス補正があるので、$\\beta_1, \\beta_2$ をどう選んでも、各ステップの歩幅は $\\eta$ "
            "以下に保たれる。",
            "$\\beta_1 < \\sqrt{\\beta_2}$ なら $|m_t|/\\sqrt{v_t}$ に上界がある。$\\beta = (0.9, 0.1)$ "
            "はこれを破り、本書の実験で発散した。",
        ],
        "answer": 3,
        "explanation": (
            "（エ）が正しい説明です。"
            "$|m_t|/\\sqrt{v_t}$ の上界は比 $\\beta_1/\\sqrt{\\beta_2}$ の等比級数です。"
            "$\\beta_1 < \\sqrt{\\beta_2}$ のときだけ有限にとどまります。"
            "$\\beta = (0.9, 0.1)$ では $0.9 > \\sqrt{0.1} \\approx 0.316$ です。\n\n"
            "- （ア）は逆です。$\\beta_2$ を下げすぎると条件 $\\beta_1 < \\sqrt{\\beta_2}$ が破れ、"
            "歩幅に上界がなくなります。\n"
            "- （イ）は $\\beta_1$ と $\\beta_2$ を取り違えています。$\\beta_2$ は $v_t$（勾配の 2 乗）"
            "の減衰率です。\n"
            "- （ウ）は誤りです。補正で最初のステップは約 $\\eta$ になりますが、"
            "その後の $\\hat m_t/\\sqrt{\\hat v_t}$ は 1 を超えることがあります。"
        ),
    },
    {
        "id": "adam-concept-amsgrad",
        "kind": "concept",
        "keyword": "発展",
        "difficulty": 2,
        "stem": (
            "AMSGrad（Reddi らが提案した Adam の変種）が Adam から変えた点として、"
            "正しいものを選んでください。"
        ),
        "choices": [
            "分母に、これまでの $v_t$ の最大値 $v_t^{\\max} = \\max(v_{t-1}^{\\max}, v_t)$ を使う。",
            "分子に、これまでの勾配の最大値を使う。",
            "バイアス補正を 2 回かけて、序盤の歩幅を小さくする。",
            "$\\beta_2$ を $1/(1 + C^2)$ に固定して、大きな勾配をすぐに忘れるようにする。",
        ],
        "answer": 0,
        "explanation": (
            "（ア）が正しい説明です。"
            "分母が減らないので、まれに来る大きな勾配の情報がすぐには忘れられません。"
            "Reddi らの反例でも、AMSGrad は正しい端 $x = -1$ へ進みました。\n\n"
            "- （イ）の分子は Adam と同じ $m_t$ のままです。\n"
            "- （ウ）のような変更はしていません。"
            "PyTorch の AMSGrad は、$v_t^{\\max}$ を $1 - \\beta_2^t$ で 1 回補正します。\n"
            "- （エ）は、Reddi らが Adam の失敗を示した反例の設定です。AMSGrad の変更ではありません。"
        ),
    },
    {
        "id": "adam-class-a",
        "group": "adam-class",
        "blank": "【あ】",
        "kind": "code",
        "keyword": "Adam",
        "difficulty": 2,
        "stem": (
            "【あ】には、バイアス補正をまとめた学習率 `lr_t` を計算する行が入ります。"
            "正しいものを選んでください。"
        ),
        "choices": [
            "lr_t = self.lr * np.sqrt(1.0 - self.beta1**self.iter) / (1.0 - self.beta2**self.iter)",
            "lr_t = self.lr * np.sqrt(1.0 - self.beta2**self.iter) / (1.0 - self.beta1**self.iter)",
            "lr_t = self.lr * (1.0 - self.beta2**self.iter) / (1.0 - self.beta1**self.iter)",
            "lr_t = self.lr * (1.0 - self.beta1**self.iter) / np.sqrt(1.0 - self.beta2**self.iter)",
        ],
        "answer": 1,
        "explanation": (
            "（イ）が正解です。"
            "$\\hat m_t/\\sqrt{\\hat v_t}$ は $m_t/\\sqrt{v_t}$ の $\\sqrt{1 - \\beta_2^t}/(1 - \\beta_1^t)$ "
            "倍です。"
            "そこで補正は、学習率 $\\eta_t = \\eta\\sqrt{1 - \\beta_2^t}/(1 - \\beta_1^t)$ にまとめられます。"
            "\n\n"
            "- （ア）は $\\beta_1$ と $\\beta_2$ を入れ替えています。\n"
            "- （ウ）は平方根を忘れています。$v_t$ は平方根をとってから使うので、その補正も平方根です。\n"
            "- （エ）は補正の逆数です。補正しない歩幅の倍率 $(1 - \\beta_1^t)/\\sqrt{1 - \\beta_2^t}$ "
            "をさらに掛けてしまいます。"
        ),
    },
    {
        "id": "adam-class-b",
        "group": "adam-class",
        "blank": "【い】",
        "kind": "code",
        "keyword": "Adam",
        "difficulty": 1,
        "stem": (
            "【い】には、2 次モーメント `self.v[key]` を更新する行が入ります。正しいものを選んでください。"
        ),
        "choices": [
            "self.v[key] += self.beta2 * (grads[key]**2 - self.v[key])",
            "self.v[key] += (1 - self.beta2) * (grads[key] - self.v[key])",
            "self.v[key] += (1 - self.beta2) * (grads[key]**2 - self.v[key])",
            "self.v[key] += (1 - self.beta2) * ((grads[key] - self.m[key])**2 - self.v[key])",
        ],
        "answer": 2,
        "explanation": (
            "（ウ）が正解です。"
            "$v \\leftarrow v + (1 - \\beta_2)(g^2 - v)$ は $v \\leftarrow \\beta_2 v + (1 - \\beta_2) g^2$ "
            "と同じ式です。"
            "『ゼロから作る』は前者の形で書いています。\n\n"
            "- （ア）は $1 - \\beta_2$ と $\\beta_2$ を取り違えています。"
            "新しい勾配に $0.999$ の重みがかかり、ほぼ直近の $g^2$ だけになります。\n"
            "- （イ）は勾配を 2 乗していません。$v$ が負になり、平方根がとれなくなります。\n"
            "- （エ）は平均を引いた分散を追っています。Adam の $v_t$ は平均を引かない 2 次モーメントです。"
        ),
    },
    {
        "id": "adam-class-c",
        "group": "adam-class",
        "blank": "【う】",
        "kind": "code",
        "keyword": "Adam",
        "difficulty": 2,
        "stem": ("【う】には、パラメータを更新する行が入ります。正しいものを選んでください。"),
        "choices": [
            "params[key] -= lr_t * self.m[key] / np.sqrt(self.v[key] + 1e-7)",
            "params[key] -= self.lr * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)",
            "params[key] += lr_t * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)",
            "params[key] -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)",
        ],
        "answer": 3,
        "explanation": (
            "（エ）が正解です。補正を含む `lr_t` を使い、$10^{-7}$ は平方根の外で $\\sqrt{v}$ に足します。"
            "これは PyTorch の形で、$\\varepsilon$ をステップごとに $10^{-7}/\\sqrt{1 - \\beta_2^t}$ "
            "とした計算と同じです。\n\n"
            "- （ア）は $10^{-7}$ を平方根の中に入れています。勾配が小さい成分の歩幅が変わります。\n"
            "- （イ）は `lr_t` ではなく `self.lr` を使っています。バイアス補正がなくなります。\n"
            "- （ウ）は符号が逆です。勾配の向きに進み、損失が増えます。"
        ),
    },
]
