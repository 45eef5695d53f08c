"""tf.linalg beyond the recorded cases (tests/tf_reference/linalg_cases.py): decompositions whose
vectors are unique only up to sign (or phase) are compared with values recorded from TF 2.21
after aligning each column, and by reconstruction."""
import numpy as np
import pytest

import tfx_lite as tf
from compiler import GraphBuilder, TensorType
from tfx_lite.framework.tensor import SymbolicTensor

R = np.random.RandomState(2).randn(4, 3)
A = np.array([[4., 1., 2.], [1., 5., 3.], [2., 3., 6.]])
C = np.array([[2 + 1j, 1 - 1j], [0.5j, 3 + 0j]])

# Recorded with TF 2.21: tf.linalg.svd(R), svd(C), eigh(A), qr(R, full_matrices=True).
SVD_S = [3.944826365806483, 2.1679557326264782, 0.6335983515891432]
SVD_U = [[-0.4002844664876998, 0.6832351823817727, -0.3625112127227557], [-0.5394474123542182, -0.6662695751238185, 0.036213900620370255], [-0.40993237047855186, -0.16516172184144606, -0.6689300864577624], [0.6170285948210423, -0.2489902497256483, -0.6479249288951185]]  # noqa: E501
SVD_V = [[-0.3764548995485428, -0.5693515174714626, 0.7308355205919037], [0.46661970980938994, 0.5649724831893415, 0.6804940408675667], [0.8003422736700198, -0.5971975743351704, -0.052983980455335485]]  # noqa: E501
SVDC_U = [[(0.4232768858456903-0.4661538904505637j), (0.45574346842573915-0.6291542889576892j)], [(0.7767451045810271+0.014292334868291134j), (-0.626994030840205+0.057803606843983314j)]]  # noqa: E501
SVDC_V = [[(0.10525148839370979-0.47363169777169406j), (0.18968644580022195-0.8535890061009987j)], [(0.874411310000512+0j), (-0.4851853882210269+0j)]]  # noqa: E501
EIGH_E = [2.1943971674224088, 3.3867701566075468, 9.41883267597004]
EIGH_V = [[0.4412246968734647, -0.8155834192895002, 0.3743587224160359], [0.5773502691896256, 0.5773502691896263, 0.5773502691896257], [-0.6870134158337711, -0.038605088352623225, 0.7256185041863942]]  # noqa: E501
QR_Q = [[-0.20987010182523225, -0.5034730793336941, 0.6789121788946156, 0.49147497606152823], [0.8260043661421222, -0.11504726113575098, -0.20176971737302674, 0.5135853346528911], [0.2532400406663349, -0.7589268118173126, -0.05186501136902211, -0.5976701403816437], [-0.4577562771577585, -0.3966220876303031, -0.704043503695237, 0.3707733205490711]]  # noqa: E501
QR_R = [[1.9857895135178543, -2.0373652551551142, -1.5641517764491484], [0.0, 0.9610223478507693, 1.0661259325244605], [0.0, 0.0, -2.8393938744698617], [0.0, 0.0, 0.0]]  # noqa: E501
EIG_W = [10.258845261184092, 2.8789176975260737, 1.8622370412898335]
EIG_V = [[0.49502230827512667, 0.7301545266288338, -0.19061136535716003], [0.5836905411484935, -0.6621583282946691, -0.7486746604164554], [0.6436289820104004, 0.1685844462381766, 0.6349437457342063]]  # noqa: E501


def phases(mine, theirs):
    """Per-column unit factors p with mine[:, j] * p[j] ~= theirs[:, j]."""
    dots = np.sum(np.conj(mine) * theirs, axis=0)
    return dots / np.abs(dots)


def test_svd_matches_tf_up_to_column_signs():
    s, u, v = tf.linalg.svd(R)
    np.testing.assert_allclose(s.numpy(), SVD_S, rtol=1e-12)
    p = phases(u.numpy(), np.array(SVD_U))
    np.testing.assert_allclose(np.abs(p), 1)
    np.testing.assert_allclose(u.numpy() * p, SVD_U, atol=1e-12)
    np.testing.assert_allclose(v.numpy() * p, SVD_V, atol=1e-12)  # same signs for matching pairs
    np.testing.assert_allclose(u.numpy() @ np.diag(s.numpy()) @ v.numpy().T, R, atol=1e-12)


def test_complex_svd_matches_tf_up_to_column_phases():
    s, u, v = tf.linalg.svd(tf.constant(C))
    p = phases(u.numpy(), np.array(SVDC_U))
    np.testing.assert_allclose(u.numpy() * p, SVDC_U, atol=1e-12)
    np.testing.assert_allclose(v.numpy() * p, SVDC_V, atol=1e-12)
    np.testing.assert_allclose(u.numpy() @ np.diag(s.numpy()) @ v.numpy().conj().T, C, atol=1e-12)


@pytest.mark.parametrize("shape,full", [((5, 3), False), ((5, 3), True), ((3, 5), False), ((2, 4, 3), True)])
def test_svd_reconstructs_float32(shape, full):
    a = np.random.RandomState(1).randn(*shape).astype(np.float32)
    s, u, v = tf.linalg.svd(a, full_matrices=full)
    assert s.dtype == tf.float32 and u.dtype == tf.float32
    k = min(shape[-2:])
    recon = (u.numpy()[..., :, :k] * s.numpy()[..., None, :]) @ np.swapaxes(v.numpy()[..., :, :k], -1, -2)
    np.testing.assert_allclose(recon, a, atol=1e-5)
    if full:
        assert u.shape[-1] == shape[-2] and v.shape[-1] == shape[-1]


def test_eigh_matches_tf_up_to_signs():
    e, v = tf.linalg.eigh(A)
    np.testing.assert_allclose(e.numpy(), EIGH_E, rtol=1e-12)
    p = phases(v.numpy(), np.array(EIGH_V))
    np.testing.assert_allclose(v.numpy() * p, EIGH_V, atol=1e-12)
    np.testing.assert_allclose(A @ v.numpy(), v.numpy() * e.numpy(), atol=1e-12)


def test_eigh_reads_the_lower_triangle_and_is_ascending():
    a = np.tril(np.random.RandomState(3).randn(4, 4)) + np.triu(np.full((4, 4), 100.0), 1)
    sym = np.tril(a) + np.tril(a, -1).T
    e, v = tf.linalg.eigh(a)
    assert (np.diff(e.numpy()) >= 0).all()
    np.testing.assert_allclose(sym @ v.numpy(), v.numpy() * e.numpy(), atol=1e-10)


def test_complex_eigh_has_complex_eigenvalues_like_tf():
    h = np.array([[2, 1 - 1j], [1 + 1j, 3]])
    e, v = tf.linalg.eigh(h)
    assert e.dtype == tf.complex128 and v.dtype == tf.complex128
    np.testing.assert_allclose(h @ v.numpy(), v.numpy() * e.numpy(), atol=1e-12)


def test_qr_matches_tf():
    q, r = tf.linalg.qr(R, full_matrices=True)
    np.testing.assert_allclose(q.numpy(), QR_Q, atol=1e-12)
    np.testing.assert_allclose(r.numpy(), QR_R, atol=1e-12)


@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (2, 4, 4)])
def test_qr_reconstructs(shape):
    a = np.random.RandomState(1).randn(*shape).astype(np.float32)
    q, r = tf.linalg.qr(a)
    np.testing.assert_allclose(q.numpy() @ r.numpy(), a, atol=1e-5)
    np.testing.assert_allclose(np.swapaxes(q.numpy(), -1, -2) @ q.numpy(), np.broadcast_to(np.eye(q.shape[-1]), q.shape[:-2] + (q.shape[-1],) * 2), atol=1e-5)
    np.testing.assert_array_equal(np.tril(r.numpy(), -1), 0)


def test_eig_matches_tf_up_to_order_and_phase():
    a = A + np.triu(np.ones((3, 3)), 1)
    w, v = tf.linalg.eig(a)
    assert w.dtype == tf.complex128
    order = [int(np.argmin(np.abs(w.numpy() - x))) for x in EIG_W]
    np.testing.assert_allclose(w.numpy()[order], EIG_W, rtol=1e-12)
    mine = v.numpy()[:, order]
    np.testing.assert_allclose(mine * phases(mine, np.array(EIG_V)), EIG_V, atol=1e-12)
    w32, _ = tf.linalg.eig(a.astype(np.float32))
    assert w32.dtype == tf.complex64


def test_lu_reconstructs_with_permutation():
    a = np.random.RandomState(0).randn(2, 4, 4)
    lu, p = tf.linalg.lu(a)
    assert p.dtype == tf.int32
    lower = np.tril(lu.numpy(), -1) + np.eye(4)
    upper = np.triu(lu.numpy())
    for i in range(2):
        np.testing.assert_allclose((lower[i] @ upper[i]), a[i][p.numpy()[i]], atol=1e-12)
    np.testing.assert_allclose(tf.linalg.lu_reconstruct(lu, p).numpy(), a, atol=1e-12)


def test_inverse_of_singular_matrix_inside_a_graph_does_not_raise():
    with GraphBuilder("f") as builder:
        x = SymbolicTensor(builder.param(TensorType((2, 2), np.float32), "x"))
        out = tf.linalg.inv(x)
    assert tuple(out.shape) == (2, 2)


def test_eager_singular_checks():
    with pytest.raises(tf.errors.InvalidArgumentError, match="not invertible"):
        tf.linalg.inv(np.zeros((2, 3, 3)))
    with pytest.raises(tf.errors.InvalidArgumentError, match="not invertible"):
        tf.linalg.solve([[1., 2.], [2., 4.]], [[1.], [2.]])
    # det of a singular matrix is simply 0
    assert tf.linalg.det([[1., 2.], [2., 4.]]).numpy() == 0


def test_cholesky_of_non_pd_matrix_gives_nan():
    assert np.isnan(tf.linalg.cholesky([[1., 2.], [2., 1.]]).numpy()).any()


def test_matrix_diag_round_trips_through_diag_part():
    rng = np.random.RandomState(0)
    for k, shape, align in [((-1, 2), (3, 5, 4), "RIGHT_LEFT"), ((-2, 0), (4, 3), "LEFT_RIGHT"),
                            ((1, 1), (2, 3, 3), "LEFT_LEFT"), ((-3, 3), (4, 4), "RIGHT_RIGHT")]:
        x = rng.randn(*shape)
        band = tf.linalg.band_part(x, -k[0], k[1]).numpy() if k[0] <= 0 <= k[1] else None
        parts = tf.linalg.diag_part(x, k=k, align=align)
        rebuilt = tf.linalg.diag(parts, k=k, num_rows=shape[-2], num_cols=shape[-1], align=align).numpy()
        if band is not None:
            np.testing.assert_allclose(rebuilt, band)
        reset = tf.linalg.set_diag(np.zeros(shape), parts, k=k, align=align).numpy()
        np.testing.assert_allclose(reset, rebuilt)


def test_norm_ord2_matrix_is_largest_singular_value():
    b = np.random.RandomState(1).randn(2, 3, 4)
    got = tf.linalg.norm(b, ord=2, axis=[-2, -1]).numpy()
    np.testing.assert_allclose(got, np.linalg.norm(b, 2, axis=(-2, -1)), rtol=1e-12)
    got = tf.linalg.norm(b, ord=2, axis=[0, 2], keepdims=True)
    assert tuple(got.shape) == (1, 3, 1)
