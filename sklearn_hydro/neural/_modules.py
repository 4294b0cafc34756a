"""Torch modules of the recurrent regressor: one recurrent branch and their sum.

The modules work on the *scaled* feature matrix that
:class:`~sklearn_hydro.neural.DualLSTMRegressor` builds, one row per forecast window,
with the column layout

``[branch-1 sequence (L columns, oldest -> newest)]``
``[branch-2 sequence (L columns), only with two branches]``
``[static features (S columns, possibly none)]``.

Keeping the whole row in one 2-D float tensor lets skorch batch it like any table and lets a
plain PyTorch loop (see ``benchmarks/bench_dual_lstm.py``) train the very same class.
"""

import torch
from torch import nn

CELLS = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}


class RecurrentBranch(nn.Module):
    """One recurrent network: a lag sequence plus static features -> one number.

    The static features (the target day's principal components of weather and calendar) are
    fed twice:

    * concatenated to the input of every time step, as in the study, so the recurrent state is
      conditioned on the conditions of the day it forecasts;
    * concatenated to the last hidden state before the output layer, a direct path that lets
      the effect of the target day's factors reach the forecast without travelling through
      ``sequence_length`` recurrent updates (the lag days did not have those conditions).

    Parameters
    ----------
    n_static : int
        Number of static features (may be 0).
    cell : {"lstm", "gru", "rnn"}
        Recurrent cell; ``"rnn"`` is the Elman RNN with tanh.
    hidden_size : int
        Width of the recurrent state.
    num_layers : int
        Number of stacked recurrent layers.
    dropout : float
        Dropout between stacked layers and on the last hidden state.
    """

    def __init__(self, n_static=0, cell="lstm", hidden_size=32, num_layers=1, dropout=0.0):
        super().__init__()
        self.n_static = n_static
        self.rnn = CELLS[cell](
            input_size=1 + n_static,
            hidden_size=hidden_size,
            num_layers=num_layers,
            batch_first=True,
            dropout=dropout if num_layers > 1 else 0.0,
        )
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(hidden_size + n_static, 1)

    def forward(self, sequence, static):
        """Map ``sequence`` (batch, L) and ``static`` (batch, S) to (batch, 1)."""
        steps = sequence.unsqueeze(-1)
        if self.n_static:
            repeated = static.unsqueeze(1).expand(-1, sequence.shape[1], -1)
            steps = torch.cat([steps, repeated], dim=-1)
        output, _ = self.rnn(steps)
        last = self.dropout(output[:, -1, :])
        if self.n_static:
            last = torch.cat([last, static], dim=-1)
        return self.head(last)


class DualRecurrentNet(nn.Module):
    """Sum of ``n_branches`` recurrent branches over one windowed feature row.

    Branch ``b`` reads columns ``[b * L, (b + 1) * L)`` as its sequence; every branch reads
    the trailing ``n_static`` columns as static features. With two branches the first learns
    the denoised signal and the second the residual ("noise") the first one misses; their
    outputs are added, which is the study's DWT-PCA-LSTM. One branch is the plain LSTM (or RNN,
    GRU) baseline.

    Parameters
    ----------
    sequence_length : int
        Number of lag columns ``L`` per branch.
    n_static : int, default=0
        Number of static feature columns after the sequences.
    n_branches : {1, 2}, default=2
        Number of recurrent branches whose outputs are summed.
    cell, hidden_size, num_layers, dropout
        Passed to each :class:`RecurrentBranch`.
    """

    def __init__(
        self,
        sequence_length,
        n_static=0,
        n_branches=2,
        cell="lstm",
        hidden_size=32,
        num_layers=1,
        dropout=0.0,
    ):
        super().__init__()
        self.sequence_length = sequence_length
        self.n_static = n_static
        self.n_branches = n_branches
        self.branches = nn.ModuleList(
            RecurrentBranch(n_static, cell, hidden_size, num_layers, dropout)
            for _ in range(n_branches)
        )

    def forward(self, X):
        """Map a batch of rows ``X`` (batch, n_branches * L + S) to forecasts (batch, 1)."""
        length = self.sequence_length
        static = X[:, self.n_branches * length :]
        output = self.branches[0](X[:, :length], static)
        for b in range(1, self.n_branches):
            output = output + self.branches[b](X[:, b * length : (b + 1) * length], static)
        return output
