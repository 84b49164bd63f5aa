"""E資格形式の問題：PyTorch での実践（chapters/pytorch）。

学習ループの順序（zero_grad・backward・step）、torch.optim の引数の名前と既定値、パラメータグループ、
state_dict での再開を問います。鍵は tests/exam_cases/pytorch.py が計算し直し、コードの問題は
本物の torch で実行して確かめます（torch 2.13 の引数の名前と既定値）。
"""

_LOOP = """\
import torch

torch.manual_seed(0)
x = torch.randn(32, 3, dtype=torch.float64)
y = x @ torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64)
w = torch.zeros(3, dtype=torch.float64, requires_grad=True)
optimizer = 【あ】
for step in range(20):
    【い】
    optimizer.step()
"""

_GROUPS = """\
import torch

torch.manual_seed(0)
model = torch.nn.Sequential(
    torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 2)
)
decay = [p for p in model.parameters() if p.ndim >= 2]
no_decay = [p for p in model.parameters() if p.ndim < 2]
optimizer = torch.optim.AdamW(
    【あ】,
    lr=0.01,
)
"""

_RESUME = """\
import io

import torch

torch.manual_seed(0)
X = torch.randn(16, 3, dtype=torch.float64)
Y = torch.randn(16, 1, dtype=torch.float64)


def make(seed):
    torch.manual_seed(seed)
    model = torch.nn.Linear(3, 1).double()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.1)
    return model, optimizer


def train(model, optimizer, steps):
    for _ in range(steps):
        optimizer.zero_grad()
        loss = ((model(X) - Y) ** 2).mean()
        loss.backward()
        optimizer.step()


model, optimizer = make(seed=0)
train(model, optimizer, 5)
buffer = io.BytesIO()
torch.save(
    {"model": model.state_dict(), "optimizer": optimizer.state_dict()},
    buffer,
)

buffer.seek(0)
checkpoint = torch.load(buffer)
model2, optimizer2 = make(seed=1)  # 別のプロセスで作り直したつもり
【あ】
train(model2, optimizer2, 5)
"""

GROUPS = {
    "pytorch-loop": (
        "『ゼロから作る』の `RMSprop(lr=0.01, decay_rate=0.99)` で書いた学習を、PyTorch に移します。"
        "『ゼロから作る』の RMSprop は、$\\varepsilon = 10^{-7}$ を平方根の外で $\\sqrt{h}$ に足します。"
        "損失は平均 2 乗誤差で、空欄【あ】【い】に入るものを、それぞれ選んでください。\n\n"
        f"```python\n{_LOOP}```"
    ),
    "pytorch-groups": (
        "次のコードは、2 次元以上のパラメータ（重み）にだけ重み減衰（weight decay）$\\lambda = 0.1$ を掛け、"
        "1 次元のパラメータ（バイアス）には掛けない `AdamW` を作ります。\n\n"
        f"```python\n{_GROUPS}```"
    ),
    "pytorch-resume": (
        "次のコードは、Adam で 5 ステップ学習したところで `state_dict` を保存し、"
        "新しく作ったモデルと最適化手法に読み込んで、残りの 5 ステップを学習します。"
        "再開後の学習は、10 ステップを一気に学習した場合と同じ結果になるようにします。\n\n"
        f"```python\n{_RESUME}```"
    ),
}

QUESTIONS = [
    {
        "id": "pytorch-concept-backward",
        "kind": "concept",
        "keyword": "発展",
        "difficulty": 1,
        "stem": "PyTorch の学習ループでの `optimizer.zero_grad()` について、正しい説明を選んでください。",
        "choices": [
            "`optimizer.zero_grad()` はパラメータの値を 0 に戻すので、学習の最初に 1 回だけ呼ぶ。",
            "`loss.backward()` は `.grad` を上書きするので、`zero_grad` を呼ばなくても結果は変わらない。",
            "`loss.backward()` は勾配を `.grad` に足し込むので、ステップごとに `optimizer.zero_grad()` "
            "で消す。",
            "`optimizer.step()` が更新のあとで `.grad` を消すので、`zero_grad` は書かなくてよい。",
        ],
        "answer": 2,
        "explanation": (
            "（ウ）が正しい説明です。"
            "`backward()` は勾配を各パラメータの `.grad` に足し込みます。"
            "消さずに次の `backward()` を呼ぶと、過去の勾配との和で更新してしまいます。\n\n"
            "- （ア）は誤りです。`zero_grad` が消すのは `.grad` で、パラメータの値は変えません。"
            "PyTorch 2 の既定（`set_to_none=True`）では、`.grad` を `None` にします。\n"
            "- （イ）は誤りです。`.grad` は上書きされず、足し込まれます。"
            "同じミニバッチで 2 回 `backward()` すると、勾配はちょうど 2 倍になります。\n"
            "- （エ）は誤りです。`step()` は `.grad` を読むだけで、消しません。"
        ),
    },
    {
        "id": "pytorch-formula-accumulation",
        "kind": "formula",
        "keyword": "発展",
        "difficulty": 3,
        "stem": (
            "64 件のミニバッチの平均損失 $L$ の勾配を、メモリの都合で 16 件ずつ 4 回に分けて計算します"
            "（勾配の累積、gradient accumulation）。"
            "$k$ 回目の 16 件の平均損失を $L_k$ とします。"
            "各回で `backward()` を呼び、4 回目のあとに 1 回だけ `optimizer.step()` を呼びます。"
            "`.grad` を $\\nabla L$ と同じにするには、各回で何の `backward()` を呼べばよいですか。"
        ),
        "choices": [
            "$L_k / 16$",
            "$L_k$",
            "$4 L_k$",
            "$L_k / 4$",
        ],
        "answer": 3,
        "explanation": (
            "（エ）が正解です。64 件の平均は、16 件ずつの平均をさらに 4 つで平均したものです。\n\n"
            "$$L = \\frac{1}{64}\\sum_{i=1}^{64} \\ell_i = \\frac{1}{4}\\sum_{k=1}^{4} L_k$$\n\n"
            "`backward()` は勾配を足し込むので、各回で $L_k/4$ の勾配を足せば、合計が $\\nabla L$ "
            "になります。\n\n"
            "- （ア）は 16 で割っています。$L_k$ はすでに 16 件の平均なので、件数で 2 回割ることになります。"
            "\n"
            "- （イ）は割っていません。4 つの平均の和になり、勾配が 4 倍になります。\n"
            "- （ウ）は逆に 4 を掛けています。勾配は 16 倍です。"
        ),
    },
    {
        "id": "pytorch-concept-defaults",
        "kind": "concept",
        "keyword": "Adam",
        "difficulty": 1,
        "stem": "`torch.optim` の引数の名前と既定値について、正しいものを選んでください（PyTorch 2.13）。",
        "choices": [
            "`torch.optim.SGD` の `momentum` の既定値は 0.9 なので、`SGD(params, lr=0.01)` "
            "はモメンタム付きになる。",
            "`torch.optim.Adam` は $\\beta_1, \\beta_2$ を `betas=(0.9, 0.999)` のタプルで受け取り、`eps` "
            "の既定値は `1e-8` である。",
            "`torch.optim.RMSprop` の減衰率の引数は Keras と同じ `rho` で、既定値は 0.9 である。",
            "`torch.optim.AdamW` の `weight_decay` の既定値は、`torch.optim.Adam` と同じ 0 である。",
        ],
        "answer": 1,
        "explanation": (
            "（イ）が正しい説明です。"
            "Keras の `beta_1`、`beta_2` や『ゼロから作る』の `beta1`、`beta2` と違い、PyTorch は 2 つを 1 "
            "つのタプルで渡します。"
            "`eps` の既定値は、Keras 3 と『ゼロから作る』の `1e-7` と違い `1e-8` です。\n\n"
            "- （ア）は誤りです。`torch.optim.SGD` の `momentum` の既定値は 0 で、ただの SGD になります。"
            "0.9 は『ゼロから作る』の `Momentum` の既定値です。\n"
            "- （ウ）は誤りです。PyTorch の減衰率の引数は `alpha` で、既定値は 0.99 です。"
            "`rho=0.9` は Keras 3 の名前と既定値です。\n"
            "- （エ）は誤りです。`AdamW` の `weight_decay` の既定値は 0.01 です。"
            "`Adam` の既定値は 0 で、しかも `Adam` の `weight_decay` は L2 正則化です。"
        ),
    },
    {
        "id": "pytorch-calc-zero-grad",
        "kind": "calculation",
        "keyword": "発展",
        "difficulty": 2,
        "stem": (
            "1 次元のパラメータ $\\theta$（初期値 0）の損失を $L(\\theta) = 3\\theta$ とします（勾配は常に "
            "3）。"
            "`torch.optim.SGD([theta], lr=0.05)` で 4 ステップ更新しましたが、"
            "`optimizer.zero_grad()` を一度も呼びませんでした。"
            "4 ステップで $\\theta$ が動いた距離 $|\\theta_4 - \\theta_0|$ はいくつですか。"
        ),
        "choices": ["$0.6$", "$1.5$", "$0.9$", "$2.25$"],
        "answer": 1,
        "explanation": (
            "（イ）が正解です。`.grad` には勾配が足し込まれ、$j$ ステップ目に使う勾配は $3j$ になります。"
            "移動量の合計は次のとおりです。\n\n"
            "$$0.05 \\times (3 + 6 + 9 + 12) = 0.05 \\times 30 = 1.5$$\n\n"
            "- （ア）は、毎ステップ `zero_grad` を呼んだ正しい学習の値 $0.05 \\times 3 \\times 4$ です。\n"
            "- （ウ）は、最初のステップの勾配を 0 と数えています（勾配は $0, 3, 6, 9$）。"
            "1 回目の `backward()` で、`.grad` はもう 3 になっています。\n"
            "- （エ）は、勾配が毎ステップ 2 倍になると考えています（勾配は $3, 6, 12, 24$）。"
            "足し込まれるのは毎回同じ 3 なので、勾配は等差数列で増えます。"
        ),
    },
    {
        "id": "pytorch-calc-scheduler",
        "kind": "calculation",
        "keyword": "学習率",
        "difficulty": 2,
        "stem": (
            "学習率 0.1 の最適化手法に `StepLR(optimizer, step_size=30, gamma=0.1)` を付けました。"
            "「30 エポックごとに 10 分の 1」のつもりでしたが、"
            "`scheduler.step()` をミニバッチごとに呼んでしまいました。"
            "1 エポックは 25 ミニバッチです。"
            "3 エポック（75 回の `scheduler.step()`）が終わった時点の学習率はいくつですか。"
        ),
        "choices": ["$0.1$", "$3.16 \\times 10^{-4}$", "$0.0001$", "$0.001$"],
        "answer": 3,
        "explanation": (
            "（エ）が正解です。"
            "`StepLR` は `scheduler.step()` を呼んだ回数 $t$ で、学習率を $0.1 \\times 0.1^{\\lfloor t/30 "
            "\\rfloor}$ にします。"
            "$\\lfloor 75/30 \\rfloor = 2$ なので $0.1 \\times 0.01 = 0.001$ です。\n\n"
            "- （ア）は、意図どおりエポックごとに呼んだ場合の値です。3 回では、まだ 1 回も減衰しません。\n"
            "- （イ）は、床関数を忘れて $0.1^{75/30} = 0.1^{2.5}$ を掛けています。"
            "これは指数減衰の考え方で、ステップ減衰は段階的に下がります。\n"
            "- （ウ）は $75/30 = 2.5$ を切り上げて、3 回減衰させています。"
        ),
    },
    {
        "id": "pytorch-calc-state",
        "kind": "calculation",
        "keyword": "Adam",
        "difficulty": 1,
        "stem": (
            "`torch.nn.Linear(100, 10)`（重みとバイアスを持つ全結合層）を、`torch.optim.Adam` で 1 "
            "ステップ学習しました。"
            '`optimizer.state_dict()` の `"state"` に入っている数（テンソルの要素）は、'
            "ステップ数 `step` を除くと何個ですか。"
        ),
        "choices": ["$2020$", "$1010$", "$3030$", "$2000$"],
        "answer": 0,
        "explanation": (
            "（ア）が正解です。パラメータは重み $10 \\times 100 = 1000$ 個とバイアス 10 個で、合計 1010 "
            "個です。"
            "Adam はパラメータごとに、同じ形の `exp_avg`（$m_t$）と `exp_avg_sq`（$v_t$）を持ちます。"
            "そのため $2 \\times 1010 = 2020$ 個です。\n\n"
            "- （イ）は、状態を 1 つ（$m_t$ だけ）と数えています。これはモメンタム付き SGD の "
            "`momentum_buffer` の数です。\n"
            "- （ウ）は、パラメータ自体も最適化手法の `state_dict` に入ると考えています。"
            "パラメータの値は、モデルの `state_dict` に入ります。\n"
            "- （エ）は、バイアスの状態を忘れています。状態は、バイアスを含むすべてのパラメータにあります。"
        ),
    },
    {
        "id": "pytorch-loop-optimizer",
        "group": "pytorch-loop",
        "blank": "【あ】",
        "kind": "code",
        "keyword": "RMSProp",
        "difficulty": 2,
        "stem": (
            "『ゼロから作る』の `RMSprop(lr=0.01, decay_rate=0.99)` と同じ更新にするには、"
            "【あ】に何を書けばよいですか。"
        ),
        "choices": [
            "torch.optim.RMSprop([w], lr=0.01, rho=0.99, eps=1e-7)",
            "torch.optim.RMSprop([w], lr=0.01, alpha=0.01, eps=1e-7)",
            "torch.optim.RMSprop([w], lr=0.01, momentum=0.99, eps=1e-7)",
            "torch.optim.RMSprop([w], lr=0.01, alpha=0.99, eps=1e-7)",
        ],
        "answer": 3,
        "explanation": (
            "（エ）が正しいコードです。"
            "PyTorch の減衰率 `alpha` は、『ゼロから作る』の `decay_rate` と同じく古い $v$ に掛ける係数です。"
            "どちらも $\\varepsilon$ を平方根の外に足すので、`eps=1e-7` にそろえれば同じ点列になります。\n\n"
            "- （ア）の `rho` は Keras の引数の名前です。`torch.optim.RMSprop` は知らない引数として "
            "`TypeError` を出します。\n"
            "- （イ）は係数を取り違えています。"
            "`alpha` は新しい $g^2$ に掛ける $1 - \\rho$ ではなく、古い $v$ に掛ける $\\rho$ です。\n"
            "- （ウ）の `momentum` は、正規化した勾配をバッファにためるモメンタムの係数です。"
            "減衰率ではないので、2 ステップ目から更新が変わります。"
        ),
    },
    {
        "id": "pytorch-loop-order",
        "group": "pytorch-loop",
        "blank": "【い】",
        "kind": "code",
        "keyword": "発展",
        "difficulty": 1,
        "stem": "【い】には、`optimizer.step()` の前に実行する 3 行が入ります。正しいものを選んでください。",
        "choices": [
            "optimizer.zero_grad()\nloss = ((x @ w - y) ** 2).mean()\nloss.backward()",
            "loss = ((x @ w - y) ** 2).mean()\nloss.backward()\noptimizer.zero_grad()",
            "loss = ((x @ w - y) ** 2).mean()\nloss.backward()",
            "optimizer.zero_grad()\nwith torch.no_grad():\n    loss = ((x @ w - y) ** "
            "2).mean()\nloss.backward()",
        ],
        "answer": 0,
        "explanation": (
            "（ア）が正しい順序です。前のステップの勾配を消し、順伝播で損失を計算し、"
            "`backward()` で `.grad` に勾配を入れてから `step()` で更新します。\n\n"
            "- （イ）は `backward()` の直後に勾配を消しています。"
            "`step()` が読む `.grad` は `None` なので、`w` は一度も動きません。\n"
            "- （ウ）は `zero_grad` を忘れています。"
            "`.grad` に過去の勾配がたまり、その和で更新してしまいます。\n"
            "- （エ）は損失を `torch.no_grad()` の中で計算しています。計算グラフが記録されないので、"
            "`backward()` がエラーになります。`no_grad` は評価のときに使います。"
        ),
    },
    {
        "id": "pytorch-groups-params",
        "group": "pytorch-groups",
        "blank": "【あ】",
        "kind": "code",
        "keyword": "発展",
        "difficulty": 2,
        "stem": "【あ】に入るパラメータグループ（parameter groups）として、正しいものを選んでください。",
        "choices": [
            '[{"params": decay}, {"params": no_decay, "weight_decay": 0.0}]',
            '[{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}]',
            '[{"params": decay, "weight_decay": 0.0}, {"params": no_decay, "weight_decay": 0.1}]',
            '[{"params": decay + no_decay, "weight_decay": 0.1}]',
        ],
        "answer": 1,
        "explanation": (
            "（イ）が正しいコードです。辞書ごとに `weight_decay` を指定し、重みには 0.1、バイアスには 0.0 "
            "を使います。"
            "`lr` は辞書に書いていないので、両方のグループに引数の `lr=0.01` が入ります。\n\n"
            "- （ア）は重みのグループに `weight_decay` を書いていません。"
            "書かなかった設定には `AdamW` の既定値 0.01 が入るので、減衰が 10 分の 1 になります。\n"
            "- （ウ）は 2 つの値を逆にしています。重みは減衰せず、バイアスだけが 0 に引き寄せられます。\n"
            "- （エ）はすべてのパラメータを 1 つのグループにしています。バイアスにも減衰が掛かります。"
        ),
    },
    {
        "id": "pytorch-resume-load",
        "group": "pytorch-resume",
        "blank": "【あ】",
        "kind": "code",
        "keyword": "発展",
        "difficulty": 3,
        "stem": "再開後の学習を、一気に学習した場合と同じにするには、【あ】に何を書けばよいですか。",
        "choices": [
            'model2.load_state_dict(checkpoint["model"])',
            'optimizer2.load_state_dict(checkpoint["optimizer"])',
            'model2.load_state_dict(checkpoint["model"])\noptimizer2.load_state_dict(checkpoint["optimizer"])',
            'model2 = checkpoint["model"]\noptimizer2 = checkpoint["optimizer"]',
        ],
        "answer": 2,
        "explanation": (
            "（ウ）が正しいコードです。モデルのパラメータに加えて、Adam の状態も読み込みます。"
            "状態とは、パラメータごとの `exp_avg`（$m_t$）、`exp_avg_sq`（$v_t$）とステップ数です。"
            "`load_state_dict` は、すでにあるオブジェクトの中身をその場で書き換えます。\n\n"
            "- （ア）はモデルだけを読み込んでいます。Adam は $m_t = v_t = 0$、ステップ 1 からやり直すので、"
            "再開直後の更新が変わります。\n"
            "- （イ）は最適化手法だけを読み込んでいます。"
            "モデルは別の乱数の種で作った初期値のまま学習を続けます。\n"
            "- （エ）は `state_dict` をそのまま変数に代入しています。"
            "`state_dict` はテンソルの辞書で、モデルではないので、`train` の `model(X)` でエラーになります。"
        ),
    },
]
