"""Calendar features on known dates: holidays of two countries, DST days, leap years."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sklearn_hydro.preprocessing import calendar_features


def test_italian_and_bavarian_holidays_on_known_dates():
    days = pd.date_range("2024-01-01", "2024-12-31", freq="D")
    it = calendar_features(days, country="IT")["is_holiday"]
    by = calendar_features(days, country="DE", subdivision="BY")["is_holiday"]
    # Liberation Day and Republic Day are Italian only; Epiphany is both
    assert it["2024-04-25"] == 1 and by["2024-04-25"] == 0
    assert it["2024-06-02"] == 1 and by["2024-06-02"] == 0
    assert it["2024-01-06"] == 1 and by["2024-01-06"] == 1
    # German Unity Day and Good Friday are German only; Easter Monday is both
    assert it["2024-10-03"] == 0 and by["2024-10-03"] == 1
    assert it["2024-03-29"] == 0 and by["2024-03-29"] == 1
    assert it["2024-04-01"] == 1 and by["2024-04-01"] == 1
    assert it["2024-07-10"] == 0


def test_a_subdivision_adds_its_own_holidays():
    days = pd.date_range("2024-10-31", periods=1, freq="D")
    # Reformation Day is a holiday in Saxony, not in Bavaria, nor nationwide
    assert calendar_features(days, country="DE", subdivision="SN")["is_holiday"].iloc[0] == 1
    assert calendar_features(days, country="DE", subdivision="BY")["is_holiday"].iloc[0] == 0
    assert calendar_features(days, country="DE")["is_holiday"].iloc[0] == 0


def test_days_to_and_since_holiday_cross_the_year_boundary():
    days = pd.date_range("2023-12-22", "2024-01-03", freq="D")
    cal = calendar_features(days, country="IT", max_days=7)
    assert cal.loc["2023-12-22", "days_to_holiday"] == 3  # Christmas
    assert cal.loc["2023-12-27", "days_since_holiday"] == 1  # St Stephen's Day
    assert cal.loc["2023-12-27", "days_to_holiday"] == 5  # New Year's Day
    assert cal.loc["2024-01-02", "days_since_holiday"] == 1
    assert cal.loc["2024-01-03", "days_to_holiday"] == 3  # Epiphany
    assert cal["days_to_holiday"].max() <= 7 and cal["days_since_holiday"].max() <= 7
    holiday = cal["is_holiday"] == 1
    assert (cal.loc[holiday, ["days_to_holiday", "days_since_holiday"]] == 0).all().all()


def test_dst_days_are_one_row_per_calendar_day():
    # a tz-aware daily index across both European DST changes of 2024
    days = pd.date_range("2024-03-29", "2024-10-29", freq="D", tz="Europe/Rome")
    cal = calendar_features(days, country="IT")
    assert cal.index.equals(days)
    assert cal.loc["2024-03-31", "dow_sun"] == 1  # spring change: a Sunday, Easter
    assert cal.loc["2024-03-31", "is_holiday"] == 1
    assert cal.loc["2024-10-27", "dow_sun"] == 1  # autumn change
    naive = calendar_features(days.tz_localize(None), country="IT")
    np.testing.assert_array_equal(cal.to_numpy(), naive.to_numpy())


def test_leap_years_keep_the_year_a_circle():
    days = pd.DatetimeIndex(["2023-12-31", "2024-01-01", "2024-02-29", "2024-12-31"])
    cal = calendar_features(days)
    angle = np.arctan2(cal["doy_sin"], cal["doy_cos"]) % (2 * np.pi)
    assert angle.iloc[1] == pytest.approx(0.0)
    assert angle.iloc[2] == pytest.approx(2 * np.pi * 59 / 366)
    # 31 December is one day's angle before 1 January, in a leap year and in another year
    assert angle.iloc[3] == pytest.approx(2 * np.pi * 365 / 366)
    assert angle.iloc[0] == pytest.approx(2 * np.pi * 364 / 365)


def test_encodings_and_no_country():
    days = pd.date_range("2024-01-01", periods=14, freq="D")
    cal = calendar_features(days, weekday="both")
    assert "is_holiday" not in cal
    assert list(cal.columns[:9]) == [
        "dow_mon", "dow_tue", "dow_wed", "dow_thu", "dow_fri", "dow_sat", "dow_sun",
        "dow_sin", "dow_cos",
    ]
    np.testing.assert_allclose(cal["dow_sin"] ** 2 + cal["dow_cos"] ** 2, 1.0)
    extra = calendar_features(days, extra_holidays=[(1, 5), "2024-01-10"])
    assert extra["is_holiday"].sum() == 2


def test_bad_arguments_are_clear_errors():
    days = pd.date_range("2024-01-01", periods=3, freq="D")
    with pytest.raises(ValueError, match="not known to the holidays package"):
        calendar_features(days, country="XX")
    with pytest.raises(ValueError, match="subdivision"):
        calendar_features(days, country="DE", subdivision="NOPE")
    with pytest.raises(ValueError, match="needs its country"):
        calendar_features(days, subdivision="BY")
    with pytest.raises(ValueError, match="NaT"):
        calendar_features(pd.DatetimeIndex(["2024-01-01", None]))
    with pytest.raises(ValueError, match="weekday"):
        calendar_features(days, weekday="ordinal")


@given(st.dates(min_value=pd.Timestamp("1950-01-01").date(),
                max_value=pd.Timestamp("2090-12-31").date()))
def test_exactly_one_weekday_and_unit_circle(day):
    cal = calendar_features(pd.DatetimeIndex([day]), country="GB")
    row = cal.iloc[0]
    assert row[[c for c in cal if c.startswith("dow_")]].sum() == 1
    assert row["doy_sin"] ** 2 + row["doy_cos"] ** 2 == pytest.approx(1.0)
    assert 0 <= row["days_to_holiday"] <= 7 and 0 <= row["days_since_holiday"] <= 7
