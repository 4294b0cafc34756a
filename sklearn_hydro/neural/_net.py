"""The skorch net of the recurrent regressor."""

from skorch import NeuralNetRegressor

from ..utils import InterruptibleNet

__all__ = ["RegressorNet"]


class RegressorNet(InterruptibleNet, NeuralNetRegressor):
    """``NeuralNetRegressor`` whose loss refuses predictions and targets of different shapes,
    and whose ``fit`` lets Ctrl-C through (:class:`~sklearn_hydro.utils.InterruptibleNet`).

    ``MSELoss`` broadcasts a (batch, 1) prediction against a (batch,) target into a
    (batch, batch) matrix and trains on it without a word; this net raises instead.
    """

    def get_loss(self, y_pred, y_true, X=None, training=False):
        if tuple(y_pred.shape) != tuple(y_true.shape):
            raise ValueError(
                f"The module returned predictions of shape {tuple(y_pred.shape)} for targets "
                f"of shape {tuple(y_true.shape)}; they must match (pass y as a column)."
            )
        return super().get_loss(y_pred, y_true, X=X, training=training)
