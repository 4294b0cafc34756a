"""The command line's pieces: data loading and checks, and the backtest/fit/forecast commands.

Private: the public entry point is ``python -m sklearn_hydro`` (``sklearn_hydro.__main__``).
"""
