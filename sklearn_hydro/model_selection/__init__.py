"""Model selection over time: rolling-origin backtests, time-series splits of panels, the
look-ahead audit, and the same-day leakage guard for covariates."""

from ._audit import LookaheadAudit, audit_lookahead
from ._backtest import BacktestResult, backtest, horizon_metrics, rolling_intervals
from ._guard import find_same_day_proxies, find_target_reconstructions
from ._split import PanelSplit

__all__ = [
    "BacktestResult",
    "LookaheadAudit",
    "PanelSplit",
    "audit_lookahead",
    "backtest",
    "find_same_day_proxies",
    "find_target_reconstructions",
    "horizon_metrics",
    "rolling_intervals",
]
