"""Model selection over time: rolling-origin backtests and the look-ahead audit."""

from ._audit import LookaheadAudit, audit_lookahead
from ._backtest import BacktestResult, backtest, horizon_metrics

__all__ = ["BacktestResult", "LookaheadAudit", "audit_lookahead", "backtest", "horizon_metrics"]
