"""Torch modules of the recurrent regressor: one recurrent branch and their sum.

The modules work on the *scaled* feature matrix that
:class:`~sklearn_hydro.neural.DualLSTMRegressor` builds, one row per forecast window, with
its columns put in the canonical order

``[branch-1 sequence (L columns, oldest -> newest)]``
``[branch-2 sequence (L columns), only with two branches]``
``[exogenous channel 1 (L columns)] ... [exogenous channel E (L columns)]``
``[static features (S columns, possibly none)]``.

Step ``j`` of a branch reads its own sequence value, the ``E`` exogenous values of the same
day (past covariates such as the observed weather) and the ``S`` static features of the target
day. Keeping the whole row in one 2-D float tensor lets skorch batch it like any table and
lets a plain PyTorch loop (see ``benchmarks/bench_dual_lstm.py``) train the very same class.
"""

import torch
from torch import nn

CELLS = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}


class RecurrentBranch(nn.Module):
    """One recurrent network: a multi-channel sequence plus static features -> outputs.

    The static features (the target day's weather and calendar, or their principal
    components) are fed twice:

    * concatenated to the input of every time step, as in the study, so the recurrent state is
      conditioned on the conditions of the day it forecasts;
    * concatenated to the last hidden state before the output head, a direct path that lets
      the effect of the target day's factors reach the forecast without travelling through
      ``L`` recurrent updates (the lag days did not have those conditions).

    Parameters
    ----------
    n_channels : int
        Values per time step besides the static features (1 + exogenous channels).
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
    head_size : int
        Width of the hidden layer (ReLU) of the output head; 0 makes the head linear.
    n_outputs : int
        Outputs (forecast horizons) per row.
    n_horizon_static : int
        Static features of each horizon (its known-ahead covariates), read only by that
        horizon's output: one head, shared by the horizons, maps the last hidden state, the
        shared statics, the horizon's own features and the horizon's one-hot code to its
        forecast. 0: every output reads every static feature.
    """

    def __init__(
        self,
        n_channels=1,
        n_static=0,
        cell="lstm",
        hidden_size=32,
        num_layers=1,
        dropout=0.0,
        head_size=0,
        n_outputs=1,
        n_horizon_static=0,
    ):
        super().__init__()
        self.n_static = n_static
        self.n_horizon_static = n_horizon_static
        self.n_outputs = n_outputs
        self.rnn = CELLS[cell](
            input_size=n_channels + n_static,
            hidden_size=hidden_size,
            num_layers=num_layers,
            batch_first=True,
            dropout=dropout if num_layers > 1 else 0.0,
        )
        self.dropout = nn.Dropout(dropout)
        width = hidden_size + n_static
        out = n_outputs
        if n_horizon_static:  # one head for every horizon: its own features and its code
            width, out = width + n_horizon_static + n_outputs, 1
        if head_size:
            self.head = nn.Sequential(
                nn.Linear(width, head_size), nn.ReLU(), nn.Linear(head_size, out)
            )
        else:
            self.head = nn.Linear(width, out)

    def forward(self, steps, static, horizon_static=None):
        """Map ``steps`` (batch, L, channels), ``static`` (batch, S) and ``horizon_static``
        (batch, outputs, C) to (batch, outputs)."""
        if self.n_static:
            repeated = static.unsqueeze(1).expand(-1, steps.shape[1], -1)
            steps = torch.cat([steps, repeated], dim=-1)
        self.rnn.flatten_parameters()  # contiguous weights on CUDA (no-op on the CPU)
        output, _ = self.rnn(steps)
        last = self.dropout(output[:, -1, :])
        if self.n_static:
            last = torch.cat([last, static], dim=-1)
        if not self.n_horizon_static:
            return self.head(last)
        batch = last.shape[0]
        code = torch.eye(self.n_outputs, dtype=last.dtype, device=last.device)
        inputs = torch.cat([last.unsqueeze(1).expand(-1, self.n_outputs, -1), horizon_static,
                            code.unsqueeze(0).expand(batch, -1, -1)], dim=-1)
        return self.head(inputs).squeeze(-1)


class DualRecurrentNet(nn.Module):
    """Sum of ``n_branches`` recurrent branches over one windowed feature row.

    Branch ``b`` reads columns ``[b * L, (b + 1) * L)`` as its own sequence; every branch also
    reads the ``n_exog`` exogenous sequences as extra channels of each step and the trailing
    ``n_static`` columns as static features. With two branches the first learns the denoised
    signal and the second the residual ("noise") the first one misses; their outputs are
    added, which is the study's DWT-PCA-LSTM. One branch is the plain LSTM (or RNN, GRU).

    Parameters
    ----------
    sequence_length : int
        Number of lag columns ``L`` per sequence.
    n_static : int, default=0
        Number of static feature columns after the sequences.
    n_branches : {1, 2}, default=2
        Number of recurrent branches whose outputs are summed.
    n_exog : int, default=0
        Number of exogenous sequences (past covariates), each ``L`` columns.
    cell, hidden_size, num_layers, dropout, head_size, n_outputs, n_horizon_static
        Passed to each :class:`RecurrentBranch`; the ``n_outputs * n_horizon_static`` columns
        after the shared statics are the horizons' own, horizon 1's first.
    """

    def __init__(
        self,
        sequence_length,
        n_static=0,
        n_branches=2,
        n_exog=0,
        cell="lstm",
        hidden_size=32,
        num_layers=1,
        dropout=0.0,
        head_size=0,
        n_outputs=1,
        n_horizon_static=0,
    ):
        super().__init__()
        self.sequence_length = sequence_length
        self.n_outputs = n_outputs
        self.n_horizon_static = n_horizon_static
        self.n_static = n_static
        self.n_branches = n_branches
        self.n_exog = n_exog
        self.branches = nn.ModuleList(
            RecurrentBranch(
                1 + n_exog, n_static, cell, hidden_size, num_layers, dropout, head_size,
                n_outputs, n_horizon_static,
            )
            for _ in range(n_branches)
        )

    def forward(self, X):
        """Map rows ``X`` (batch, (n_branches + n_exog) * L + S) to forecasts (batch, outputs)."""
        length = self.sequence_length
        n_seq = self.n_branches + self.n_exog
        sequences = X[:, : n_seq * length].reshape(X.shape[0], n_seq, length)
        start, own = n_seq * length, self.n_outputs * self.n_horizon_static
        static = X[:, start : X.shape[1] - own]
        horizon_static = None
        if own:
            horizon_static = X[:, X.shape[1] - own :].reshape(
                X.shape[0], self.n_outputs, self.n_horizon_static)
        exog = sequences[:, self.n_branches :, :].transpose(1, 2)  # (batch, L, E)
        output = None
        for b, branch in enumerate(self.branches):
            steps = torch.cat([sequences[:, b, :].unsqueeze(-1), exog], dim=-1)
            out = branch(steps, static, horizon_static)
            output = out if output is None else output + out
        return output
