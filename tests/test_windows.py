import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.preprocessing import StandardScaler

from sklearn_hydro.windows import (
    covariate_columns,
    lag_columns,
    make_window_transformer,
    make_windows,
)


def _frame(n=30, seed=0):
    rng = np.random.default_rng(seed)
    idx = pd.date_range("2022-01-01", periods=n, freq="D", name="date")
    return pd.DataFrame(
        {"demand": 100 + rng.normal(size=n).cumsum(), "temp": rng.normal(size=n),
         "weekday": idx.day_of_week.astype(float)},
        index=idx,
    )


def test_layout_and_values():
    frame = _frame()
    X, y = make_windows(frame, "demand", lookback=5, horizon=2)
    assert list(X.columns) == [f"demand_lag{k}" for k in range(5, 0, -1)] + ["temp", "weekday"]
    assert len(X) == len(frame) - 5 - 2 + 1
    for date, row in X.iterrows():
        pos = frame.index.get_loc(date)
        origin = pos - 2
        np.testing.assert_array_equal(row.iloc[:5], frame["demand"].iloc[origin - 4 : origin + 1])
        assert row["temp"] == frame["temp"].iloc[pos]  # covariates of the target day
        assert y[date] == frame["demand"].iloc[pos]
    assert X.index.equals(y.index)
    assert y.name == "demand"


def test_missing_target_drops_row_missing_lag_keeps_it():
    frame = _frame()
    frame.iloc[10, 0] = np.nan
    X, y = make_windows(frame, "demand", lookback=3)
    assert frame.index[10] not in X.index
    assert len(X) == len(frame) - 3 - 1
    rows_with_nan = X.index[X[lag_columns(X)].isna().any(axis=1)]
    assert len(rows_with_nan) == 3
    assert not y.isna().any()


def test_covariates_selection():
    frame = _frame()
    X, _ = make_windows(frame, "demand", lookback=2, covariates=["weekday"])
    assert covariate_columns(X) == ["weekday"]
    X, _ = make_windows(frame, "demand", lookback=2, covariates=[])
    assert covariate_columns(X) == []


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"target": "nope", "lookback": 2}, ValueError, "target column"),
        ({"target": "demand", "lookback": 0}, ValueError, "lookback"),
        ({"target": "demand", "lookback": 2, "horizon": 0}, ValueError, "horizon"),
        ({"target": "demand", "lookback": 30}, ValueError, "too short"),
        ({"target": "demand", "lookback": 2, "covariates": ["x"]}, ValueError, "not in the frame"),
        ({"target": "demand", "lookback": 2, "covariates": ["demand"]}, ValueError, "cannot be"),
    ],
)
def test_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        make_windows(_frame(), **kwargs)


def test_index_errors():
    frame = _frame()
    with pytest.raises(TypeError, match="DatetimeIndex"):
        make_windows(frame.reset_index(drop=True), "demand", 2)
    with pytest.raises(ValueError, match="not regular"):
        make_windows(frame.drop(frame.index[5]), "demand", 2)
    with pytest.raises(ValueError, match="sorted"):
        make_windows(frame.iloc[::-1], "demand", 2)
    text = frame.assign(city="x")
    with pytest.raises(TypeError, match="non-numeric.*city"):
        make_windows(text, "demand", 2)
    with pytest.raises(ValueError, match="missing everywhere"):
        make_windows(frame.assign(demand=np.nan), "demand", 2)


def test_tz_aware_days_across_dst_are_regular():
    # 2022-03-27 lasts 23 hours in Rome and 2022-10-30 25 hours: still one row per day
    for start in ("2022-03-20", "2022-10-25"):
        frame = _frame(20)
        frame.index = pd.date_range(start, periods=20, freq="D", tz="Europe/Rome", name="date")
        X, y = make_windows(frame, "demand", lookback=3)
        assert len(X) == 20 - 3
        assert X.index.tz is not None and X.index.equals(frame.index[3:])
        np.testing.assert_array_equal(y, frame["demand"].iloc[3:])
    # hourly stamps across the change are regular in UTC (and not in wall-clock time)
    hourly = _frame(48)
    hourly.index = pd.date_range("2022-03-26", periods=48, freq="h", tz="Europe/Rome")
    assert len(make_windows(hourly, "demand", lookback=3)[0]) == 48 - 3


def test_tz_aware_gap_is_still_an_error_that_says_why():
    frame = _frame(20)
    frame.index = pd.date_range("2022-03-20", periods=20, freq="D", tz="Europe/Rome")
    with pytest.raises(ValueError, match=r"not regular.*asfreq.*tz-aware \(Europe/Rome\)"):
        make_windows(frame.drop(frame.index[10]), "demand", 2)


@pytest.mark.parametrize("column, value", [("demand", np.inf), ("demand", -np.inf),
                                           ("temp", np.inf)])
@pytest.mark.parametrize("position", [0, 15, 29])  # a lag only, a lag and a target, a target
def test_infinite_values_are_refused(column, value, position):
    frame = _frame()
    frame.iloc[position, frame.columns.get_loc(column)] = value
    with pytest.raises(ValueError, match=rf"{column!r} holds an infinite value at "
                                         rf"{frame.index[position]}.*Replace"):
        make_windows(frame, "demand", lookback=3)
    # a column left out of the windows may hold anything
    if column == "temp":
        make_windows(frame, "demand", lookback=3, covariates=["weekday"])


def test_window_transformer_routes_blocks():
    X, _ = make_windows(_frame(), "demand", lookback=4)
    ct = make_window_transformer(lags="passthrough", covariates=StandardScaler())
    ct.set_output(transform="pandas")
    out = ct.fit_transform(X)
    assert list(out.columns) == list(X.columns)
    np.testing.assert_allclose(out[lag_columns(X)], X[lag_columns(X)])
    np.testing.assert_allclose(out["temp"].mean(), 0, atol=1e-12)
    with pytest.raises(TypeError, match="DataFrame"):
        lag_columns(X.to_numpy())


@settings(max_examples=50, deadline=None)
@given(
    n=st.integers(8, 40),
    lookback=st.integers(1, 6),
    horizon=st.integers(1, 3),
    data=st.data(),
)
def test_rows_never_hold_values_after_their_origin(n, lookback, horizon, data):
    """Changing any target value after a row's origin leaves that row's lags unchanged."""
    if n < lookback + horizon:
        return
    frame = _frame(n)
    X, _ = make_windows(frame, "demand", lookback, horizon)
    pos = data.draw(st.integers(0, n - 1))
    changed = frame.copy()
    changed.iloc[pos, 0] += 1000.0
    X2, _ = make_windows(changed, "demand", lookback, horizon)
    lags = lag_columns(X)
    target_pos = frame.index.get_indexer(X.index)
    origin = target_pos - horizon
    after_origin = origin < pos
    pd.testing.assert_frame_equal(X.loc[after_origin, lags], X2.loc[after_origin, lags])
