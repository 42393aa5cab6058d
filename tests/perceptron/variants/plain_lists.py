"""Correct: plain Python lists everywhere, no numpy arithmetic (numpy only for the generator given)."""


def add_bias(x):
    return [list(row) + [-1.0] for row in x]


def forward(x, w):
    out = []
    for row in x:
        out.append([1 if sum(row[j] * w[j][i] for j in range(len(row))) > 0 else 0 for i in range(len(w[0]))])
    return out


def update(x, y, t, w, eta):
    return [[w[j][i] - eta * (y[i] - t[i]) * x[j] for i in range(len(w[j]))] for j in range(len(w))]


def train(x, t, w0, eta, epochs, rng):
    w = [list(map(float, r)) for r in w0]
    x = [list(r) for r in x]
    t = [list(r) for r in t]
    mistakes = []
    order = list(range(len(x)))
    for _ in range(epochs):
        rng.shuffle(order)
        count = 0
        for i in order:
            y = forward([x[i]], w)[0]
            if y != [int(v) for v in t[i]]:
                count += 1
                w = update(x[i], y, t[i], w, eta)
        mistakes.append(count)
    return w, mistakes


def _cls(row):
    if len(row) == 1:
        return 1 if row[0] > 0.5 else 0
    return max(range(len(row)), key=lambda k: (row[k], -k))


def confusion_matrix(y, t):
    k = max(len(t[0]), 2)
    cm = [[0] * k for _ in range(k)]
    for a, b in zip(y, t):
        cm[_cls(list(a))][_cls(list(b))] += 1
    return cm


def class_scores(cm):
    k = len(cm)
    col = [sum(cm[r][c] for r in range(k)) for c in range(k)]
    row = [sum(cm[r]) for r in range(k)]
    recall = [cm[i][i] / col[i] if col[i] else 0.0 for i in range(k)]
    precision = [cm[i][i] / row[i] if row[i] else 0.0 for i in range(k)]
    return recall, precision, sum(cm[i][i] for i in range(k)) / sum(row)
