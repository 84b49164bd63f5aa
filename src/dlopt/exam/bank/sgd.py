"""E資格形式の問題：確率的勾配降下法（SGD）とミニバッチ（chapters/sgd）。

『ゼロから作る』の SGD は oreilly-japan/deep-learning-from-scratch の common/optimizer.py と同じ形です
（`params[key] -= self.lr * grads[key]`、`lr=0.01`）。ミニバッチの選び方は ch04/train_neuralnet.py の
`np.random.choice(train_size, batch_size)` です。鍵は tests/exam_cases/sgd.py が計算し直します。
"""

_CLASS = """\
import numpy as np


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in params.keys():
            【あ】


np.random.seed(0)
x_train = np.random.randn(1000, 3)
t_train = x_train @ np.array([1.0, -2.0, 0.5]) + 0.1 * np.random.randn(1000)
train_size, batch_size = x_train.shape[0], 100
params = {"W": np.zeros(3)}
optimizer = SGD(lr=0.1)
for i in range(50):
    batch_mask = 【い】
    x_batch, t_batch = x_train[batch_mask], t_train[batch_mask]
    error = x_batch @ params["W"] - t_batch
    grads = {"W": x_batch.T @ error / 【う】}
    optimizer.update(params, grads)
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
    "sgd-class": (
        "次のコードは『ゼロから作る』と同じ形の SGD クラスと、それを使うミニバッチ学習です。"
        "線形回帰の重み `W` を、ミニバッチの平均 2 乗誤差 "
        "$L = \\dfrac{1}{2B}\\sum_{i \\in \\mathcal{B}} (x_i^\\top W - t_i)^2$ で学習します。"
        "$B$ はバッチサイズ `batch_size` です。"
        "ミニバッチは『ゼロから作る』と同じく、毎回 `train_size` 件の中から独立に選びます。"
        "空欄【あ】〜【う】に入るものを、それぞれ選んでください。\n\n"
        f"```python\n{_CLASS}```"
    ),
    "sgd-torch": (
        "『ゼロから作る』の `SGD()` を、`lr` を指定せずに既定値のまま使っていた学習を PyTorch に移します。"
        "次のコードの損失は $\\sum_i w_i^2$ です。\n\n"
        f"```python\n{_TORCH}```"
    ),
}

QUESTIONS = [
    {
        "id": "sgd-concept-unbiased",
        "kind": "concept",
        "keyword": "確率的勾配降下法",
        "difficulty": 1,
        "stem": (
            "確率的勾配降下法（SGD）は、"
            "全データの勾配の代わりにミニバッチ（mini-batch）の平均勾配で進みます。"
            "データを一様に選ぶミニバッチの平均勾配 $g_t$ について、正しいものはどれですか。"
        ),
        "choices": [
            "バッチサイズ $B$ を 4 倍にすると、$g_t$ の誤差の標準偏差は $1/4$ 倍になる。",
            "$g_t$ の期待値は全データの勾配 $\\nabla L$ に一致する。ただし 1 つの $g_t$ は $\\nabla L$ "
            "から大きくずれることがある。",
            "$g_t$ は不偏推定量なので、1 つのミニバッチの誤差 $\\|g_t - \\nabla L\\|$ は $\\|\\nabla L\\|$ "
            "より必ず小さい。",
            "$g_t$ の誤差の分散はバッチサイズによらず一定で、学習率だけで決まる。",
        ],
        "answer": 1,
        "explanation": (
            "（イ）が正しい説明です。各データが選ばれる確率は $B/N$ なので、$\\mathbb{E}[g_t] = \\nabla L$ "
            "です。"
            "このような推定量を不偏推定量（unbiased estimator）と呼びます。\n\n"
            "- （ア）誤差の分散が $1/B$ に比例するので、標準偏差は $1/\\sqrt{B}$ に比例します。"
            "$B$ を 4 倍にしても、標準偏差は $1/2$ 倍にしかなりません。\n"
            "- （ウ）不偏性は平均についての性質です。本文の digits のネットワークでは、$B = 64$ の誤差の 2 "
            "乗の期待値が "
            "$\\|\\nabla L\\|^2$ より大きくなりました。\n"
            "- （エ）分散は $\\sigma^2/B$ で、バッチサイズで決まります。学習率は分散に関係しません。"
        ),
    },
    {
        "id": "sgd-formula-update",
        "kind": "formula",
        "keyword": "確率的勾配降下法",
        "difficulty": 1,
        "stem": (
            "ミニバッチ $\\mathcal{B}$（$B$ 件）を使う SGD の更新式として、正しいものはどれですか。"
            "$L_i$ は $i$ 番目のデータの損失、$\\eta$ は学習率、$N$ は訓練データの件数です。"
        ),
        "choices": [
            "$W \\leftarrow W + \\eta \\dfrac{1}{B}\\sum_{i \\in \\mathcal{B}} \\dfrac{\\partial "
            "L_i}{\\partial W}$",
            "$W \\leftarrow W - \\eta \\sum_{i \\in \\mathcal{B}} \\dfrac{\\partial L_i}{\\partial W}$",
            "$W \\leftarrow W - \\eta \\dfrac{1}{B}\\sum_{i \\in \\mathcal{B}} \\dfrac{\\partial "
            "L_i}{\\partial W}$",
            "$W \\leftarrow W - \\eta \\dfrac{1}{N}\\sum_{i \\in \\mathcal{B}} \\dfrac{\\partial "
            "L_i}{\\partial W}$",
        ],
        "answer": 2,
        "explanation": (
            "（ウ）が正しい式です。ミニバッチの平均勾配で、勾配の逆向きに $\\eta$ 倍だけ進みます。"
            "本書の記号では $\\theta_t = \\theta_{t-1} - \\eta g_t$ です。\n\n"
            "- （ア）は符号が逆で、損失が増える向きに進みます。\n"
            "- （イ）は平均ではなく和です。歩幅が $B$ 倍になるので、"
            "バッチサイズを変えるたびに学習率を直す必要があります。\n"
            "- （エ）は $B$ 件の和を全データの件数 $N$ で割っています。勾配が $B/N$ 倍に小さくなり、"
            "平均勾配になりません。"
        ),
    },
    {
        "id": "sgd-formula-robbins-monro",
        "kind": "formula",
        "keyword": "学習率",
        "difficulty": 3,
        "stem": (
            "一定の学習率の SGD は、勾配のノイズのため最小点のまわりで揺れ続けます。"
            "ロビンス・モンローの条件 $\\sum_{t=1}^{\\infty} \\eta_t = \\infty$、$\\sum_{t=1}^{\\infty} "
            "\\eta_t^2 < \\infty$ を"
            "満たす学習率の列はどれですか。"
        ),
        "choices": [
            "$\\eta_t = 0.01$（一定）",
            "$\\eta_t = 1/\\sqrt{t}$",
            "$\\eta_t = 1/t$",
            "$\\eta_t = 1/t^2$",
        ],
        "answer": 2,
        "explanation": (
            "（ウ）が正しい列です。$\\sum 1/t$ は発散し、$\\sum 1/t^2 = \\pi^2/6$ は有限です。"
            "1 つ目の条件は遠くからでも最小点まで歩けること、2 つ目はたまるノイズが有限であることを表します。"
            "\n\n"
            "- （ア）一定の学習率は 1 つ目を満たしますが、$\\sum \\eta_t^2$ が発散します。"
            "損失は学習率に比例する床のまわりで揺れ続けます。\n"
            "- （イ）$\\sum 1/\\sqrt{t}$ は発散しますが、$\\sum \\eta_t^2 = \\sum 1/t$ も発散します。\n"
            "- （エ）$\\sum 1/t^2$ が有限なので 1 つ目を満たしません。"
            "遠くの最小点に着く前に止まってしまいます。"
        ),
    },
    {
        "id": "sgd-concept-minibatch-forms",
        "kind": "concept",
        "keyword": "発展",
        "difficulty": 2,
        "stem": (
            "ミニバッチの作り方について、正しいものはどれですか。"
            "『ゼロから作る』の学習スクリプトは `batch_mask = np.random.choice(train_size, batch_size)` "
            "と書きます。"
        ),
        "choices": [
            "PyTorch の `DataLoader` は、引数を省略するとエポックごとにデータをシャッフルする。",
            "『ゼロから作る』の方法は、毎回ランダムに選ぶので勾配の不偏推定量にならない。",
            "『ゼロから作る』の方法では、1 エポックの中で、どのデータもちょうど 1 回ずつ使われる。",
            "『ゼロから作る』の方法は毎回独立に選ぶので、1 エポックの中で使われないデータや 2 "
            "回使われるデータがある。",
        ],
        "answer": 3,
        "explanation": (
            "（エ）が正しい説明です。`np.random.choice` の既定は重複あり（`replace=True`）で、"
            "毎イテレーション独立に選びます。"
            "誤差の分散は重複ありの $\\sigma^2/B$ です。\n\n"
            "- （ア）`DataLoader` の `shuffle` の既定は `None` で、`False` と同じ扱いです。"
            "訓練用には `shuffle=True` を指定します。\n"
            "- （イ）各データが同じ確率で選ばれるので、重複ありでも平均勾配は不偏推定量です。\n"
            "- （ウ）これはエポックごとにシャッフルして先頭から切る方法（dlopt や "
            "`DataLoader(shuffle=True)`）の性質です。"
        ),
    },
    {
        "id": "sgd-concept-noise",
        "kind": "concept",
        "keyword": "鞍点",
        "difficulty": 3,
        "stem": (
            "$f = x^2 - y^2$ の直線 $y = 0$ から出発すると、全データの勾配を使う勾配降下法は鞍点 $(0, 0)$ "
            "に収束します。"
            "ミニバッチの勾配のノイズの働きとして、正しいものはどれですか。"
        ),
        "choices": [
            "ノイズが $y$ 方向のずれを作るので鞍点から抜け出せる。ただし一定の学習率では、"
            "（最小点のある損失なら）最小点の近くで揺れ続ける。",
            "ノイズは平均すると 0 なので、鞍点から抜け出す助けにはならない。",
            "ノイズで鞍点から抜け出せるのは、バッチサイズが大きくノイズが小さいときほど速い。",
            "ノイズは鞍点の近くでだけ働き、最小点の近くでは勾配が 0 になるので揺れは残らない。",
        ],
        "answer": 0,
        "explanation": (
            "（ア）が正しい説明です。ノイズで生じた小さな $y$ のずれは、1 ステップごとに $(1 + 2\\eta)$ "
            "倍に増えます。"
            "一方、最小点でも 1 件ずつの勾配は 0 でないので、一定の学習率では $\\eta$ "
            "に比例する損失の床が残ります。\n\n"
            "- （イ）平均が 0 でも、1 回ごとのずれは 0 ではありません。"
            "ずれは鞍点から離れる方向に増幅されます。\n"
            "- （ウ）逆です。本文の実験では、$B$ が大きいほどノイズが小さく、脱出に時間がかかりました。\n"
            "- （エ）最小点で 0 になるのは全データの勾配です。ミニバッチの勾配は 0 にならず、揺れが続きます。"
        ),
    },
    {
        "id": "sgd-calc-step",
        "kind": "calculation",
        "keyword": "確率的勾配降下法",
        "difficulty": 1,
        "stem": (
            "1 つのパラメータ $\\theta = 1.0$ を、学習率 $\\eta = 0.1$ の SGD で 1 回更新します。"
            "ミニバッチの 4 件のデータの勾配 $\\partial L_i / \\partial \\theta$ は、それぞれ $2, 4, -1, 3$ "
            "です。"
            "更新後の $\\theta$ はいくつですか。"
        ),
        "choices": ["$0.8$", "$0.2$", "$1.2$", "$0.95$"],
        "answer": 0,
        "explanation": (
            "（ア）が正しい値です。平均勾配は $(2 + 4 - 1 + 3)/4 = 2$ です。"
            "更新後は $1.0 - 0.1 \\times 2 = 0.8$ です。\n\n"
            "- （イ）は平均ではなく和の 8 を使った値です。\n"
            "- （ウ）は符号を逆にして、勾配の向きに進んだ値です。\n"
            "- （エ）は平均 2 をさらに $B = 4$ で割った値です。"
        ),
    },
    {
        "id": "sgd-calc-iterations",
        "kind": "calculation",
        "keyword": "発展",
        "difficulty": 1,
        "stem": (
            "訓練データが 10000 件あります。PyTorch の `DataLoader(batch_size=256, shuffle=True)` で 5 "
            "エポック学習します"
            "（`drop_last=False`）。パラメータの更新は全部で何回ですか。"
        ),
        "choices": ["$195$", "$200$", "$40$", "$1280$"],
        "answer": 1,
        "explanation": (
            "（イ）が正しい値です。1 エポックは $\\lceil 10000/256 \\rceil = \\lceil 39.0625 \\rceil = 40$ "
            "イテレーションです。"
            "最後のミニバッチは 16 件です。5 エポックで $40 \\times 5 = 200$ 回です。\n\n"
            "- （ア）は端数を切り捨てた $39 \\times 5$ です。`drop_last=True` のときの回数です。\n"
            "- （ウ）は 1 エポックの回数です。\n"
            "- （エ）はバッチサイズとエポック数を掛けた値で、更新の回数とは関係がありません。"
        ),
    },
    {
        "id": "sgd-calc-noise",
        "kind": "calculation",
        "keyword": "確率的勾配降下法",
        "difficulty": 2,
        "stem": (
            "訓練データが十分に多く、ミニバッチの勾配の誤差の分散が $\\sigma^2/B$ とみなせるとします。"
            "バッチサイズを 32 から 512 に増やすと、誤差の標準偏差は何倍になりますか。"
        ),
        "choices": ["$0.0625$", "$0.25$", "$4$", "$0.5$"],
        "answer": 1,
        "explanation": (
            "（イ）が正しい値です。$B$ が 16 倍になるので分散は $1/16$ 倍です。"
            "標準偏差はその平方根で $1/4 = 0.25$ 倍です。\n\n"
            "- （ア）は分散の倍率で、標準偏差ではありません。\n"
            "- （ウ）は向きが逆です。バッチサイズを増やすとノイズは小さくなります。\n"
            "- （エ）はバッチサイズを 4 倍にしたときの倍率 $1/\\sqrt{4}$ です。512 は 32 の 16 倍です。"
        ),
    },
    {
        "id": "sgd-calc-scaling",
        "kind": "calculation",
        "keyword": "発展",
        "difficulty": 2,
        "stem": (
            "バッチサイズ 32、学習率 0.05 の SGD で学習がうまくいっています。"
            "線形スケーリング則（linear scaling rule）に従って、バッチサイズを 256 "
            "にしたときの学習率はいくつですか。"
        ),
        "choices": ["$0.05$", "$0.00625$", "$0.141$", "$0.4$"],
        "answer": 3,
        "explanation": (
            "（エ）が正しい値です。バッチサイズが 8 倍なので、学習率も 8 倍の $0.05 \\times 8 = 0.4$ "
            "にします。"
            "ただしこれは経験則で、安定の上限を越えれば発散します。\n\n"
            "- （ア）学習率を変えないと、1 エポックのステップ数が $1/8$ になるぶん進みが遅くなります。\n"
            "- （イ）は 8 で割った値で、向きが逆です。\n"
            "- （ウ）は $\\sqrt{8}$ 倍した値です。ノイズの標準偏差に合わせる平方根の規則で、"
            "線形スケーリング則ではありません。"
        ),
    },
    {
        "id": "sgd-class-a",
        "group": "sgd-class",
        "blank": "【あ】",
        "kind": "code",
        "keyword": "確率的勾配降下法",
        "difficulty": 1,
        "stem": "【あ】に入るものを選んでください。",
        "choices": [
            "params[key] += self.lr * grads[key]",
            "params[key] -= self.lr * grads[key]",
            "params[key] -= grads[key]",
            "params[key] = -self.lr * grads[key]",
        ],
        "answer": 1,
        "explanation": (
            "（イ）が正しいコードです。$W \\leftarrow W - \\eta \\dfrac{\\partial L}{\\partial W}$ "
            "をそのまま書いたもので、"
            "『ゼロから作る』の `SGD.update` と同じです。\n\n"
            "- （ア）は勾配の向きに進むので、損失が増えます。\n"
            "- （ウ）は学習率を掛け忘れています。このコードでは学習率 1 の SGD になります。\n"
            "- （エ）は `-=` の代わりに `=` を書いています。パラメータが更新量そのものに置き換わり、"
            "元の値が失われます。"
        ),
    },
    {
        "id": "sgd-class-b",
        "group": "sgd-class",
        "blank": "【い】",
        "kind": "code",
        "keyword": "確率的勾配降下法",
        "difficulty": 2,
        "stem": "【い】に入るものを選んでください。",
        "choices": [
            "np.random.choice(train_size, batch_size)",
            "np.random.choice(batch_size, train_size)",
            "np.arange(batch_size)",
            "np.random.choice(train_size)",
        ],
        "answer": 0,
        "explanation": (
            "（ア）が正しいコードです。0 から `train_size - 1` までの番号を、`batch_size` "
            "個ランダムに選びます。\n\n"
            "- （イ）は引数が逆です。最初の 100 件の中から 1000 個の番号を選ぶので、"
            "ミニバッチが 1000 件になり、使うデータも最初の 100 件に偏ります。\n"
            "- （ウ）は毎回同じ最初の 100 件を使います。ランダムに選ばないので、残りの 900 "
            "件を学習に使いません。\n"
            "- （エ）は番号を 1 つしか選びません。`x_batch` が 1 件分のベクトルになり、"
            "勾配の計算で形が合わずエラーになります。"
        ),
    },
    {
        "id": "sgd-class-c",
        "group": "sgd-class",
        "blank": "【う】",
        "kind": "code",
        "keyword": "確率的勾配降下法",
        "difficulty": 2,
        "stem": "【う】に入るものを選んでください。",
        "choices": [
            "train_size",
            "x_batch.shape[1]",
            "1",
            "batch_size",
        ],
        "answer": 3,
        "explanation": (
            "（エ）が正しいコードです。損失はミニバッチの平均なので、"
            "勾配 $\\dfrac{1}{B} X_B^\\top (X_B W - t_B)$ も $B$ で割ります。\n\n"
            "- （ア）は全データの件数 1000 で割っています。勾配が $1/10$ になり、学習率を 10 分の 1 "
            "にしたのと同じです。\n"
            "- （イ）は特徴量の数 3 で割っています。勾配が 100/3 倍に大きくなり、この学習率では発散します。\n"
            "- （ウ）は平均ではなく和です。勾配が 100 倍になり、この学習率では発散します。"
        ),
    },
    {
        "id": "sgd-torch-lr",
        "group": "sgd-torch",
        "blank": "【あ】",
        "kind": "code",
        "keyword": "学習率",
        "difficulty": 2,
        "stem": "『ゼロから作る』の `SGD()` と同じ点列を作るには、【あ】に何を書けばよいですか。",
        "choices": [
            "torch.optim.SGD([w])",
            "torch.optim.SGD([w], lr=0.01, momentum=0.9)",
            "torch.optim.SGD([w], lr=0.01)",
            "torch.optim.SGD([w], lr=0.01, weight_decay=0.01)",
        ],
        "answer": 2,
        "explanation": (
            "（ウ）が正しいコードです。『ゼロから作る』の `SGD` の既定値は `lr=0.01` です。"
            "PyTorch の `torch.optim.SGD` の既定値は `lr=1e-3` なので、学習率を明示して書きます。\n\n"
            "- （ア）は既定の `lr=1e-3` になり、歩幅が 10 分の 1 になります。\n"
            "- （イ）はモメンタムを加えています。『ゼロから作る』の `SGD` にはモメンタムがありません。\n"
            "- （エ）は勾配に $0.01\\,w$ を足す重み減衰を加えています。『ゼロから作る』の `SGD` "
            "にはこの項がありません。"
        ),
    },
]
