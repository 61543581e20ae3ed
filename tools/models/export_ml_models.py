#!/usr/bin/python3
"""Trains small scikit-learn models and converts each BY HAND into an ONNX graph of ai.onnx.ml ops.

There is no ONNX conformance data for the classic ai.onnx.ml ops (Scaler, LinearClassifier, SVMClassifier,
TreeEnsembleClassifier, ...), so scikit-learn is the oracle: each model is fitted on the bundled iris or digits data
(fixed seeds), its learned parameters (coefficients, support vectors, tree arrays) are written into ONNX attributes
with onnx.helper, and scikit-learn's own predictions on held-out rows are saved beside it. Writes, for each model,
<repo>/models/ml/<name>/:
  model.onnx     the hand-converted graph (ai.onnx.ml opset 3, default opset 13), batch axis named 'N'
  input_0.npy    held-out rows (float32, or int64 for categorical inputs)
  output_K.npy   scikit-learn's K-th output on them: labels (int64 or str) exactly, scores as float32
and rewrites models/ml/README.md. cli/src/test/java/dev/kiln/models/MlModelsTest.java runs every one on Kiln.

Held-out rows whose label sits within 1e-4 of a tie (two classes' scores, or an SVM pair decision near 0) are
skipped: the test checks arithmetic, not which way float rounding breaks a tie.

Run from anywhere:  /usr/bin/python3 tools/models/export_ml_models.py
Needs Debian's python3-sklearn and python3-onnx (no skl2onnx); no downloads.
"""
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from sklearn.datasets import load_digits, load_iris
from sklearn.ensemble import (GradientBoostingClassifier, GradientBoostingRegressor, RandomForestClassifier,
                              RandomForestRegressor)
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import Normalizer, OneHotEncoder, StandardScaler
from sklearn.svm import SVC, SVR
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "models" / "ml"
SEED = 0
ROWS = 20
TIE_MARGIN = 1e-4
MAX_TOTAL_BYTES = 1 << 20
FLOAT = TensorProto.FLOAT


# ---------------------------------------------------------------- data

def split(x, y, test_size=0.3):
    return train_test_split(x, y, test_size=test_size, random_state=SEED, stratify=y)


def iris():
    data = load_iris()
    return split(data.data.astype(np.float32), data.target.astype(np.int64))


def digits():
    data = load_digits()
    return split((data.data / 16.0).astype(np.float32), data.target.astype(np.int64), test_size=0.25)


def iris_regression():
    """Sepal length, sepal width, petal length -> petal length and petal width (iris' measurements)."""
    x = load_iris().data.astype(np.float32)
    return train_test_split(x[:, :3], x[:, 2:], test_size=0.3, random_state=SEED)


def f64(x):
    """What scikit-learn sees: the float32 rows Kiln gets, widened exactly."""
    return x.astype(np.float64)


def first_rows(x, safe=None):
    keep = np.arange(len(x)) if safe is None else np.flatnonzero(safe)
    if len(keep) < ROWS:
        raise SystemExit(f"only {len(keep)} held-out rows are clear of ties")
    return x[keep[:ROWS]]


def clear_of_ties(scores):
    """Rows whose best score beats the runner-up by more than TIE_MARGIN."""
    top = np.sort(scores, axis=1)
    return top[:, -1] - top[:, -2] > TIE_MARGIN


# ---------------------------------------------------------------- graph building

def value(name, elem, dims):
    return helper.make_tensor_value_info(name, elem, dims)


def ml(op, inputs, outputs, **attrs):
    return helper.make_node(op, inputs, outputs, domain="ai.onnx.ml", **attrs)


def model(name, nodes, inputs, outputs, initializers=()):
    graph = helper.make_graph(nodes, name, inputs, outputs, initializer=list(initializers))
    m = helper.make_model(graph, producer_name="kiln export_ml_models.py",
                          opset_imports=[helper.make_opsetid("", 13), helper.make_opsetid("ai.onnx.ml", 3)])
    m.ir_version = 8
    onnx.checker.check_model(m)
    return m


def classifier_outputs(classes, columns):
    label_type = TensorProto.STRING if isinstance(classes[0], str) else TensorProto.INT64
    return [value("label", label_type, ["N"]), value("scores", FLOAT, ["N", columns])]


def labels_attr(classes, name_ints="classlabels_ints", name_strings="classlabels_strings"):
    if isinstance(classes[0], str):
        return {name_strings: list(classes)}
    return {name_ints: [int(c) for c in classes]}


def single_model(name, op, features, outputs, attrs, input_type=FLOAT):
    out_names = [o.name for o in outputs]
    return model(name, [ml(op, ["X"], out_names, **attrs)], [value("X", input_type, ["N", features])], outputs)


# ---------------------------------------------------------------- converters: transforms and linear models

def scaler_model(s: StandardScaler):
    attrs = dict(offset=s.mean_.tolist(), scale=(1.0 / s.scale_).tolist())
    return single_model("scaler", "Scaler", len(s.mean_), [value("Y", FLOAT, ["N", len(s.mean_)])], attrs)


def normalizer_model(features):
    nodes = [ml("Normalizer", ["X"], [f"Y_{norm.lower()}"], norm=norm) for norm in ("L1", "L2", "MAX")]
    outputs = [value(f"Y_{norm}", FLOAT, ["N", features]) for norm in ("l1", "l2", "max")]
    return model("normalizer", nodes, [value("X", FLOAT, ["N", features])], outputs)


def imputer_node(imp: SimpleImputer, x, y):
    return ml("Imputer", [x], [y], imputed_value_floats=imp.statistics_.tolist(), replaced_value_float=float("nan"))


def imputer_model(imp: SimpleImputer):
    n = len(imp.statistics_)
    return model("imputer", [imputer_node(imp, "X", "Y")], [value("X", FLOAT, ["N", n])], [value("Y", FLOAT, ["N", n])])


def linear_classifier_attrs(lr: LogisticRegression):
    binary = len(lr.classes_) == 2
    return dict(coefficients=lr.coef_.ravel().tolist(), intercepts=lr.intercept_.tolist(),
                post_transform="LOGISTIC" if binary else "SOFTMAX", multi_class=0 if binary else 1,
                **labels_attr(lr.classes_))


def logreg_model(name, lr: LogisticRegression):
    return single_model(name, "LinearClassifier", lr.coef_.shape[1], classifier_outputs(lr.classes_, len(lr.classes_)),
                        linear_classifier_attrs(lr))


def pipeline_model(imp, scale, lr):
    n = len(imp.statistics_)
    nodes = [imputer_node(imp, "X", "imputed"),
             ml("Scaler", ["imputed"], ["scaled"], offset=scale.mean_.tolist(), scale=(1.0 / scale.scale_).tolist()),
             ml("LinearClassifier", ["scaled"], ["label", "scores"], **linear_classifier_attrs(lr))]
    return model("pipeline", nodes, [value("X", FLOAT, ["N", n])], classifier_outputs(lr.classes_, len(lr.classes_)))


def linreg_model(lr: LinearRegression):
    targets, features = lr.coef_.shape
    attrs = dict(coefficients=lr.coef_.ravel().tolist(), intercepts=lr.intercept_.tolist(), targets=targets)
    return single_model("linreg", "LinearRegressor", features, [value("Y", FLOAT, ["N", targets])], attrs)


# ---------------------------------------------------------------- converters: SVMs

KERNELS = {"linear": "LINEAR", "poly": "POLY", "rbf": "RBF", "sigmoid": "SIGMOID"}


def svm_kernel_attrs(m):
    return dict(kernel_type=KERNELS[m.kernel], kernel_params=[float(m._gamma), float(m.coef0), float(m.degree)],
                support_vectors=m.support_vectors_.ravel().tolist())


def svc_model(name, m: SVC):
    # libsvm's one-vs-one layout, as ONNX expects for 3+ classes: support vectors grouped by class, dual_coef_ rows
    # are "the other class" of each pair, and intercept_ (= -rho of libsvm) is added to each pair's score.
    attrs = dict(svm_kernel_attrs(m), vectors_per_class=m.n_support_.tolist(), coefficients=m.dual_coef_.ravel().tolist(),
                 rho=m.intercept_.tolist(), **labels_attr(m.classes_))
    pairs = len(m.classes_) * (len(m.classes_) - 1) // 2
    if m.probability:
        attrs.update(prob_a=m.probA_.tolist(), prob_b=m.probB_.tolist())
    columns = len(m.classes_) if m.probability else pairs
    return single_model(name, "SVMClassifier", m.support_vectors_.shape[1], classifier_outputs(m.classes_, columns), attrs)


def svr_model(m: SVR):
    attrs = dict(svm_kernel_attrs(m), coefficients=m.dual_coef_.ravel().tolist(), rho=m.intercept_.tolist(),
                 n_supports=len(m.support_))
    return single_model("svr", "SVMRegressor", m.support_vectors_.shape[1], [value("Y", FLOAT, ["N", 1])], attrs)


# ---------------------------------------------------------------- converters: tree ensembles

def split_node(threshold, left, right, mode, in_doubles):
    """One sklearn split (x <= threshold goes left) as an ONNX node in one of four equivalent modes.

    Thresholds are made exact for float32 inputs: as float attributes, the largest float32 <= threshold; the strict
    and >= modes use the next representable value up, so that x <= t <=> x < next(t) holds for every input.
    """
    kind = np.float64 if in_doubles else np.float32
    t = kind(threshold)
    if t > threshold:
        t = np.nextafter(t, kind(-np.inf))
    up = np.nextafter(t, kind(np.inf))
    return {"BRANCH_LEQ": (t, left, right), "BRANCH_LT": (up, left, right),
            "BRANCH_GT": (t, right, left), "BRANCH_GTE": (up, right, left)}[mode]


def tree_arrays(trees, leaf_votes, modes=("BRANCH_LEQ",), in_doubles=False):
    """nodes_* and vote lists of several sklearn trees; leaf_votes(tree_index, tree_, node) -> [(target, weight)]."""
    nodes = {k: [] for k in ("nodeids", "treeids", "featureids", "modes", "values", "truenodeids", "falsenodeids")}
    votes = {k: [] for k in ("ids", "nodeids", "treeids", "weights")}
    for tree_id, tree in enumerate(trees):
        t = tree.tree_
        for i in range(t.node_count):
            leaf = t.children_left[i] == -1
            mode = "LEAF" if leaf else modes[i % len(modes)]
            threshold, true_id, false_id = (0.0, 0, 0) if leaf else split_node(
                t.threshold[i], int(t.children_left[i]), int(t.children_right[i]), mode, in_doubles)
            for key, v in (("nodeids", i), ("treeids", tree_id), ("featureids", 0 if leaf else int(t.feature[i])),
                           ("modes", mode), ("values", threshold), ("truenodeids", true_id),
                           ("falsenodeids", false_id)):
                nodes[key].append(v)
            if leaf:
                for target, weight in leaf_votes(tree_id, t, i):
                    for key, v in (("ids", target), ("nodeids", i), ("treeids", tree_id), ("weights", weight)):
                        votes[key].append(v)
    return nodes, votes


def tree_attrs(nodes, votes, prefix, in_doubles):
    attrs = {f"nodes_{k}": v for k, v in nodes.items() if k != "values"}
    attrs.update({f"{prefix}_{k}": v for k, v in votes.items() if k != "weights"})
    if in_doubles:
        attrs["nodes_values_as_tensor"] = numpy_helper.from_array(np.array(nodes["values"], np.float64))
        attrs[f"{prefix}_weights_as_tensor"] = numpy_helper.from_array(np.array(votes["weights"], np.float64))
    else:
        attrs["nodes_values"] = [float(v) for v in nodes["values"]]
        attrs[f"{prefix}_weights"] = [float(v) for v in votes["weights"]]
    return attrs


def class_fractions(scale):
    """Leaf votes of a classification tree: each class's share of the leaf's samples, times scale."""
    def votes(_, t, i):
        counts = t.value[i][0]
        return [(c, float(share) * scale) for c, share in enumerate(counts / counts.sum()) if share > 0]
    return votes


def gradient_votes(k, learning_rate):
    """Leaf votes of a gradient-boosting stage tree for class or target k: learning_rate * leaf value."""
    return lambda _, t, i: [(k, learning_rate * float(t.value[i][0][0]))]


def tree_classifier_model(name, classes, features, trees, leaf_votes, modes, in_doubles, post="NONE", base=None):
    nodes, votes = tree_arrays(trees, leaf_votes, modes, in_doubles)
    attrs = dict(tree_attrs(nodes, votes, "class", in_doubles), post_transform=post,
                 **labels_attr(classes, "classlabels_int64s", "classlabels_strings"))
    if base is not None:
        attrs["base_values"] = [float(b) for b in base]
    columns = max(len(classes), 2)
    return single_model(name, "TreeEnsembleClassifier", features, classifier_outputs(classes, columns), attrs)


def tree_regressor_model(name, targets, features, trees, leaf_votes, modes, in_doubles, aggregate, base=None):
    nodes, votes = tree_arrays(trees, leaf_votes, modes, in_doubles)
    attrs = dict(tree_attrs(nodes, votes, "target", in_doubles), n_targets=targets, aggregate_function=aggregate)
    if base is not None:
        attrs["base_values"] = [float(b) for b in base]
    return single_model(name, "TreeEnsembleRegressor", features, [value("Y", FLOAT, ["N", targets])], attrs)


def gradient_stages(gb, per_stage):
    """The stage trees of a gradient-boosting model, with per_stage(k) giving each class or target k's votes."""
    trees, votes = [], []
    for stage in gb.estimators_:
        for k, tree in enumerate(stage):
            trees.append(tree)
            votes.append(per_stage(k))
    return trees, lambda tree_id, t, i: votes[tree_id](tree_id, t, i)


ALL_MODES = ("BRANCH_LEQ", "BRANCH_LT", "BRANCH_GT", "BRANCH_GTE")


# ---------------------------------------------------------------- the models

def with_missing(x, fraction, seed):
    """A copy of x with about `fraction` of its entries replaced by NaN."""
    x = x.copy()
    x[np.random.default_rng(seed).random(x.shape) < fraction] = np.nan
    return x


def accuracy(m, x, y):
    return f"held-out accuracy {m.score(f64(x), y):.3f}"


def r2(m, x, y):
    return f"held-out R2 {m.score(f64(x), y):.3f}"


def build_scaler():
    tr_x, te_x, _, _ = iris()
    s = StandardScaler().fit(f64(tr_x))
    x = first_rows(te_x)
    return s, "StandardScaler", scaler_model(s), x, [s.transform(f64(x))], "-"


def build_normalizer():
    _, te_x, _, _ = iris()
    x = first_rows(te_x - 3.0)  # centre so rows mix signs: MAX and L1 must use magnitudes
    outs = [Normalizer(norm=n).fit(f64(x)).transform(f64(x)) for n in ("l1", "l2", "max")]
    return None, "Normalizer (l1, l2, max)", normalizer_model(x.shape[1]), x, outs, "-"


def build_imputer():
    tr_x, te_x, _, _ = iris()
    imp = SimpleImputer(strategy="mean").fit(f64(with_missing(tr_x, 0.1, SEED)))
    x = first_rows(with_missing(te_x, 0.2, SEED + 1))
    return imp, "SimpleImputer(mean)", imputer_model(imp), x, [imp.transform(f64(x))], "-"


def classifier_outputs_of(m, x):
    return [m.predict(f64(x)), m.predict_proba(f64(x))]


def build_logreg():
    tr_x, te_x, tr_y, te_y = iris()
    lr = LogisticRegression(max_iter=1000).fit(f64(tr_x), tr_y)
    x = first_rows(te_x, clear_of_ties(lr.predict_proba(f64(te_x))))
    return lr, "LogisticRegression (multinomial)", logreg_model("logreg", lr), x, classifier_outputs_of(lr, x), accuracy(lr, te_x, te_y)


def build_logreg_binary():
    tr_x, te_x, tr_y, te_y = iris()
    # versicolor (1) vs virginica (2): the classes that overlap, so scores spread around the decision boundary
    tr, te = tr_y > 0, te_y > 0
    lr = LogisticRegression(max_iter=1000).fit(f64(tr_x[tr]), tr_y[tr])
    x = first_rows(te_x[te], clear_of_ties(lr.predict_proba(f64(te_x[te]))))
    return (lr, "LogisticRegression (binary)", logreg_model("logreg_binary", lr), x, classifier_outputs_of(lr, x),
            accuracy(lr, te_x[te], te_y[te]))


def build_pipeline():
    tr_x, te_x, tr_y, te_y = iris()
    tr_x, te_x = with_missing(tr_x, 0.1, SEED), with_missing(te_x, 0.2, SEED + 1)
    imp = SimpleImputer(strategy="mean").fit(f64(tr_x))
    scale = StandardScaler().fit(imp.transform(f64(tr_x)))
    lr = LogisticRegression(max_iter=1000).fit(scale.transform(imp.transform(f64(tr_x))), tr_y)
    prep = lambda v: scale.transform(imp.transform(f64(v)))
    x = first_rows(te_x, clear_of_ties(lr.predict_proba(prep(te_x))))
    score = f"held-out accuracy {lr.score(prep(te_x), te_y):.3f}"
    return lr, "SimpleImputer + StandardScaler + LogisticRegression", pipeline_model(imp, scale, lr), x, \
        [lr.predict(prep(x)), lr.predict_proba(prep(x))], score


def build_linreg():
    tr_x, te_x, tr_y, te_y = iris_regression()
    lr = LinearRegression().fit(f64(tr_x), tr_y)
    x = first_rows(te_x)
    return lr, "LinearRegression (2 targets)", linreg_model(lr), x, [lr.predict(f64(x))], r2(lr, te_x, te_y)


def svc_pair_clearance(m, x):
    """Rows whose one-vs-one decisions are all clear of 0 (the votes do not depend on rounding)."""
    m.decision_function_shape, shape = "ovo", m.decision_function_shape
    dec = m.decision_function(f64(x))
    m.decision_function_shape = shape
    return np.abs(dec).min(axis=1) > TIE_MARGIN


def build_svc(name, kernel, probability, data=iris, **params):
    def build():
        tr_x, te_x, tr_y, te_y = data()
        m = SVC(kernel=kernel, probability=probability, random_state=SEED, decision_function_shape="ovo",
                **params).fit(f64(tr_x), tr_y)
        safe = svc_pair_clearance(m, te_x)
        x = first_rows(te_x, safe)
        scores = m.predict_proba(f64(x)) if probability else m.decision_function(f64(x))
        what = f"SVC(kernel={kernel!r}{', probability' if probability else ', ovo decision_function'})"
        return m, what, svc_model(name, m), x, [m.predict(f64(x)), scores], accuracy(m, te_x, te_y)
    return build


def build_svr():
    tr_x, te_x, tr_y, te_y = iris_regression()
    m = SVR(kernel="rbf", C=10.0, epsilon=0.05).fit(f64(tr_x), tr_y[:, 1])
    x = first_rows(te_x)
    return m, "SVR(kernel='rbf')", svr_model(m), x, [m.predict(f64(x)).reshape(-1, 1)], r2(m, te_x, te_y[:, 1])


def build_tree_clf():
    tr_x, te_x, tr_y, te_y = iris()
    m = DecisionTreeClassifier(max_depth=4, random_state=SEED).fit(f64(tr_x), tr_y)
    x = first_rows(te_x, clear_of_ties(m.predict_proba(f64(te_x))))
    onnx_model = tree_classifier_model("tree_clf", m.classes_, tr_x.shape[1], [m], class_fractions(1.0),
                                       ("BRANCH_LEQ", "BRANCH_GT"), in_doubles=False)
    return m, "DecisionTreeClassifier", onnx_model, x, classifier_outputs_of(m, x), accuracy(m, te_x, te_y)


def build_forest_clf():
    tr_x, te_x, tr_y, te_y = digits()
    m = RandomForestClassifier(n_estimators=5, max_depth=6, random_state=SEED).fit(f64(tr_x), tr_y)
    x = first_rows(te_x, clear_of_ties(m.predict_proba(f64(te_x))))
    onnx_model = tree_classifier_model("forest_clf", m.classes_, tr_x.shape[1], m.estimators_,
                                       class_fractions(1.0 / len(m.estimators_)), ALL_MODES, in_doubles=True)
    return m, "RandomForestClassifier (digits)", onnx_model, x, classifier_outputs_of(m, x), accuracy(m, te_x, te_y)


def build_gb_clf():
    tr_x, te_x, tr_y, te_y = iris()
    m = GradientBoostingClassifier(n_estimators=10, max_depth=2, random_state=SEED).fit(f64(tr_x), tr_y)
    x = first_rows(te_x, clear_of_ties(m.predict_proba(f64(te_x))))
    trees, votes = gradient_stages(m, lambda k: gradient_votes(k, m.learning_rate))
    base = m._raw_predict_init(f64(tr_x[:1]))[0]  # the log class priors every prediction starts from
    onnx_model = tree_classifier_model("gb_clf", m.classes_, tr_x.shape[1], trees, votes, ALL_MODES, in_doubles=True,
                                       post="SOFTMAX", base=base)
    return m, "GradientBoostingClassifier (3 classes)", onnx_model, x, classifier_outputs_of(m, x), accuracy(m, te_x, te_y)


def build_gb_binary():
    tr_x, te_x, tr_y, te_y = iris()
    names = load_iris().target_names
    tr, te = tr_y > 0, te_y > 0
    m = GradientBoostingClassifier(n_estimators=10, max_depth=2, random_state=SEED).fit(f64(tr_x[tr]), names[tr_y[tr]])
    x = first_rows(te_x[te], clear_of_ties(m.predict_proba(f64(te_x[te]))))
    # One tree per stage scoring the second class; ONNX writes [-s, s] and LOGISTIC turns it into [1 - p, p].
    trees, votes = gradient_stages(m, lambda k: gradient_votes(k, m.learning_rate))
    base = m._raw_predict_init(f64(tr_x[:1]))[0]
    onnx_model = tree_classifier_model("gb_binary", list(m.classes_), tr_x.shape[1], trees, votes, ALL_MODES,
                                       in_doubles=False, post="LOGISTIC", base=base)
    return (m, "GradientBoostingClassifier (binary, string labels)", onnx_model, x, classifier_outputs_of(m, x),
            accuracy(m, te_x[te], names[te_y[te]]))


def build_tree_reg():
    tr_x, te_x, tr_y, te_y = iris_regression()
    m = DecisionTreeRegressor(max_depth=4, random_state=SEED).fit(f64(tr_x), tr_y)
    x = first_rows(te_x)
    votes = lambda _, t, i: [(k, float(t.value[i][k][0])) for k in range(t.value.shape[1])]
    onnx_model = tree_regressor_model("tree_reg", 2, tr_x.shape[1], [m], votes, ("BRANCH_LEQ", "BRANCH_LT"),
                                      in_doubles=False, aggregate="SUM")
    return m, "DecisionTreeRegressor (2 targets)", onnx_model, x, [m.predict(f64(x))], r2(m, te_x, te_y)


def build_forest_reg():
    tr_x, te_x, tr_y, te_y = iris_regression()
    m = RandomForestRegressor(n_estimators=8, max_depth=4, random_state=SEED).fit(f64(tr_x), tr_y[:, 1])
    x = first_rows(te_x)
    votes = lambda _, t, i: [(0, float(t.value[i][0][0]))]
    onnx_model = tree_regressor_model("forest_reg", 1, tr_x.shape[1], m.estimators_, votes, ALL_MODES,
                                      in_doubles=True, aggregate="AVERAGE")
    return m, "RandomForestRegressor", onnx_model, x, [m.predict(f64(x)).reshape(-1, 1)], r2(m, te_x, te_y[:, 1])


def build_gb_reg():
    tr_x, te_x, tr_y, te_y = iris_regression()
    m = GradientBoostingRegressor(n_estimators=20, max_depth=2, random_state=SEED).fit(f64(tr_x), tr_y[:, 1])
    x = first_rows(te_x)
    trees, votes = gradient_stages(m, lambda k: gradient_votes(k, m.learning_rate))
    base = m._raw_predict_init(f64(tr_x[:1]))[0]  # the training mean
    onnx_model = tree_regressor_model("gb_reg", 1, tr_x.shape[1], trees, votes, ALL_MODES, in_doubles=False,
                                      aggregate="SUM", base=base)
    return m, "GradientBoostingRegressor", onnx_model, x, [m.predict(f64(x)).reshape(-1, 1)], r2(m, te_x, te_y[:, 1])


def iris_categories():
    """Two categorical int64 features from iris: sepal and petal length rounded to whole centimetres."""
    tr_x, te_x, _, _ = iris()
    return np.rint(tr_x[:, [0, 2]]).astype(np.int64), np.rint(te_x[:, [0, 2]]).astype(np.int64)


def build_onehot_int():
    tr_c, te_c = iris_categories()
    enc = OneHotEncoder(handle_unknown="ignore").fit(tr_c)
    x = first_rows(te_c).copy()
    x[0, 1], x[1, 0] = 99, -1  # categories never seen in training encode as all zeros
    nodes, inputs, widths, initializers = [], [], [], []
    for j, cats in enumerate(enc.categories_):
        initializers.append(numpy_helper.from_array(np.array([j], np.int64), f"column_{j}"))
        nodes += [ml("ArrayFeatureExtractor", ["X", f"column_{j}"], [f"feature_{j}"]),
                  ml("OneHotEncoder", [f"feature_{j}"], [f"hot_{j}"], cats_int64s=[int(c) for c in cats], zeros=1),
                  helper.make_node("Flatten", [f"hot_{j}"], [f"flat_{j}"], axis=1)]
        inputs.append(f"flat_{j}")
        widths.append(len(cats))
    nodes.append(ml("FeatureVectorizer", inputs, ["Y"], inputdimensions=widths))
    onnx_model = model("onehot_int", nodes, [value("X", TensorProto.INT64, ["N", x.shape[1]])],
                       [value("Y", FLOAT, ["N", sum(widths)])], initializers)
    return enc, "OneHotEncoder (int64 categories, per column)", onnx_model, x, [enc.transform(x).toarray()], "-"


def build_onehot_strings():
    _, _, tr_y, te_y = iris()
    names = list(load_iris().target_names)
    enc = OneHotEncoder(handle_unknown="ignore").fit(np.array(names)[tr_y].reshape(-1, 1))
    codes = first_rows(te_y).copy()
    codes[0] = 7  # no species: CategoryMapper's default string, which OneHotEncoder does not know
    strings = np.array([names[c] if c < len(names) else "unknown" for c in codes]).reshape(-1, 1)
    nodes = [ml("CategoryMapper", ["X"], ["species"], cats_int64s=list(range(len(names))), cats_strings=names,
                default_string="unknown"),
             ml("OneHotEncoder", ["species"], ["Y"], cats_strings=[str(c) for c in enc.categories_[0]], zeros=1)]
    onnx_model = model("onehot_strings", nodes, [value("X", TensorProto.INT64, ["N"])],
                       [value("Y", FLOAT, ["N", len(enc.categories_[0])])])
    return enc, "OneHotEncoder (string categories) after CategoryMapper", onnx_model, codes, \
        [enc.transform(strings).toarray()], "-"


BUILDERS = {
    "scaler": build_scaler,
    "normalizer": build_normalizer,
    "imputer": build_imputer,
    "logreg": build_logreg,
    "logreg_binary": build_logreg_binary,
    "pipeline": build_pipeline,
    "linreg": build_linreg,
    "svc_rbf": build_svc("svc_rbf", "rbf", True),
    "svc_linear": build_svc("svc_linear", "linear", True),
    "svc_poly": build_svc("svc_poly", "poly", False, data=digits, degree=3, coef0=1.0),
    "svr": build_svr,
    "tree_clf": build_tree_clf,
    "forest_clf": build_forest_clf,
    "gb_clf": build_gb_clf,
    "gb_binary": build_gb_binary,
    "tree_reg": build_tree_reg,
    "forest_reg": build_forest_reg,
    "gb_reg": build_gb_reg,
    "onehot_int": build_onehot_int,
    "onehot_strings": build_onehot_strings,
}


# ---------------------------------------------------------------- writing

def as_saved(a):
    """Labels keep their type (int64 or str); everything else is float32, Kiln's output type for scores."""
    a = np.asarray(a)
    if a.dtype.kind in "iu":
        return a.astype(np.int64)
    if a.dtype.kind in "UO":
        return a.astype(str)
    return a.astype(np.float32)


def write(name, onnx_model, x, outputs):
    folder = OUT / name
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.npy"):
        old.unlink()
    onnx.save(onnx_model, str(folder / "model.onnx"))
    np.save(folder / "input_0.npy", x)
    if len(outputs) != len(onnx_model.graph.output):
        raise SystemExit(f"{name}: {len(outputs)} expected outputs for {len(onnx_model.graph.output)} graph outputs")
    for k, out in enumerate(outputs):
        np.save(folder / f"output_{k}.npy", as_saved(out))
    return sum(f.stat().st_size for f in folder.iterdir())


def write_readme(rows):
    lines = [
        "# Hand-converted scikit-learn models (ai.onnx.ml)",
        "",
        "Small scikit-learn models trained on the bundled iris and digits data, converted to ONNX by hand with",
        "`onnx.helper` (no skl2onnx): their coefficients, support vectors and tree arrays become the attributes of",
        "the classic ai.onnx.ml ops. Each folder holds `model.onnx`, `input_0.npy` (held-out rows) and `output_K.npy`",
        "(scikit-learn's K-th output on them: labels as int64 or strings, scores as float32).",
        "`cli/src/test/java/dev/kiln/models/MlModelsTest.java` runs each on Kiln's reference backend and compares:",
        "labels exactly, scores within 1e-4 * max(1, |expected|).",
        "",
        "| model | scikit-learn | ONNX ops | outputs | size | held-out score |",
        "|---|---|---|---|---|---|",
    ]
    for name, what, ops, outs, size, score in rows:
        lines.append(f"| `{name}` | {what} | {', '.join(ops)} | {outs} | {size / 1024:.1f} KB | {score} |")
    lines += [
        "",
        "## Regenerating",
        "",
        "Needs Debian's `python3-sklearn` and `python3-onnx` (no downloads):",
        "",
        "    /usr/bin/python3 tools/models/export_ml_models.py",
        "",
        "It rewrites every folder here and this README (the table is generated: edit the script, not the table).",
        "",
    ]
    (OUT / "README.md").write_text("\n".join(lines))


def main():
    rows, total = [], 0
    for name, build in BUILDERS.items():
        _, what, onnx_model, x, outputs, score = build()
        total += write(name, onnx_model, x, outputs)
        ops = sorted({n.op_type for n in onnx_model.graph.node})
        outs = ", ".join(f"{o.name} {as_saved(a).dtype.name if as_saved(a).dtype.kind != 'U' else 'str'}"
                         f"{list(np.shape(a))}" for o, a in zip(onnx_model.graph.output, outputs))
        rows.append((name, what, ops, outs, (OUT / name / "model.onnx").stat().st_size, score))
        print(f"{name}: {what}; {score}; ops {' '.join(ops)}")
    if total > MAX_TOTAL_BYTES:
        raise SystemExit(f"models/ml total {total} bytes, over the {MAX_TOTAL_BYTES} limit")
    write_readme(rows)
    print(f"total {total} bytes")


if __name__ == "__main__":
    main()
