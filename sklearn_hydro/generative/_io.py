"""Saving and loading GANSampler without pickling Python objects.

A file is one :func:`torch.save` of a dict holding a JSON header (``"header"``: format name,
parameters, column names, classes, loss history), a few arrays as tensors and the state
dicts of the networks and optimizers. Loading uses ``torch.load(weights_only=True)``, which
only accepts tensors and plain containers and refuses to run code.
"""

import json
import math
import numbers

import numpy as np
import torch
from sklearn.preprocessing import MinMaxScaler

from ..utils import check_device, torch_seed
from ._marginals import quantile_transformer_from
from ._net import loss_history

FORMAT = "sklearn_hydro.GANSampler/1"


def _plain_params(sampler):
    params = sampler.get_params(deep=False)
    if not isinstance(params["random_state"], (numbers.Integral, type(None))):
        params["random_state"] = None  # a RandomState instance is not plain data
    return {
        key: (list(value) if isinstance(value, tuple) else
              int(value) if isinstance(value, numbers.Integral) and not isinstance(value, bool)
              else value)
        for key, value in params.items()
    }


def save_sampler(sampler, path):
    """Write a fitted ``sampler`` to ``path`` (see the module docstring)."""
    net = sampler.net_
    history = sampler.loss_history_
    header = {
        "format": FORMAT,
        "params": _plain_params(sampler),
        "n_features_in": int(sampler.n_features_in_),
        "feature_names_in": (
            sampler.feature_names_in_.tolist() if hasattr(sampler, "feature_names_in_") else None
        ),
        "classes": sampler.classes_.tolist() if sampler.conditional else None,
        "loss_history": {
            "epoch": history.index.tolist(),
            # NaN is not JSON: store missing values as null
            **{col: [None if math.isnan(v) else v for v in history[col].tolist()]
               for col in history},
        },
    }
    maps = sampler.marginal_maps_
    state = {
        "header": json.dumps(header),
        "data_min": torch.as_tensor(sampler.scaler_.data_min_),
        "data_max": torch.as_tensor(sampler.scaler_.data_max_),
        "integer_columns": torch.as_tensor(sampler.integer_columns_),
        "class_prior": (
            torch.as_tensor(sampler.class_prior_) if sampler.conditional else None
        ),
        "marginal_quantiles": None if maps is None else [
            [torch.as_tensor(t.quantiles_) for t in pair] for pair in maps
        ],
        "generator": net.module_.state_dict(),
        "generator_ema": net.module_ema_.state_dict() if net.generator_ema else None,
        "discriminator": net.discriminator_.state_dict(),
        "optimizer": net.optimizer_.state_dict(),
        "optimizer_discriminator": net.optimizer_discriminator_.state_dict(),
    }
    torch.save(state, path)


def _read(path):
    """The saved dict and its parsed header, or a clear ValueError."""
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
        header = json.loads(state["header"])
        if header["format"] != FORMAT:
            raise ValueError(f"unknown format {header['format']!r}")
    except (FileNotFoundError, IsADirectoryError, PermissionError):
        raise
    except Exception as exc:  # random bytes, truncated files, other torch files
        # torch's own message would advise weights_only=False, unsafe for an unknown file
        raise ValueError(
            f"{path!s} is not a GANSampler file (one written by GANSampler.save); reading it "
            f"failed with {type(exc).__name__}."
        ) from None
    return state, header


def load_sampler(cls, path, device=None):
    """A fitted ``cls`` read from ``path`` (see the module docstring)."""

    state, header = _read(path)
    params = {
        key: tuple(value) if isinstance(value, list) else value
        for key, value in header["params"].items()
    }
    if device is not None:
        params["device"] = device
    check_device(params["device"])
    sampler = cls(**params)
    n_features = header["n_features_in"]
    sampler.n_features_in_ = n_features
    if header["feature_names_in"] is not None:
        sampler.feature_names_in_ = np.asarray(header["feature_names_in"], dtype=object)
    bounds = np.vstack([state["data_min"].numpy(), state["data_max"].numpy()])
    sampler.scaler_ = MinMaxScaler(feature_range=(-1, 1)).fit(bounds)
    sampler.integer_columns_ = state["integer_columns"].numpy()
    n_classes = 0
    if sampler.conditional:
        sampler.classes_ = np.asarray(header["classes"])
        sampler.class_prior_ = state["class_prior"].numpy()
        n_classes = len(sampler.classes_)
    quantiles = state["marginal_quantiles"]
    sampler.marginal_maps_ = None if quantiles is None else [
        tuple(quantile_transformer_from(q.numpy()) for q in pair) for pair in quantiles
    ]
    spec = sampler._architecture(n_features)
    with torch_seed(0, sampler.device):
        net = sampler._build_net(n_features, n_classes, spec, seed=0)
    net.module_.load_state_dict(state["generator"])
    if net.generator_ema:
        net.module_ema_.load_state_dict(state["generator_ema"])
    net.discriminator_.load_state_dict(state["discriminator"])
    net.optimizer_.load_state_dict(state["optimizer"])
    net.optimizer_discriminator_.load_state_dict(state["optimizer_discriminator"])
    history = header["loss_history"]
    for i in range(len(history["epoch"])):
        net.history.new_epoch()
        for key, values in history.items():
            if values[i] is not None:
                net.history.record(key, values[i])
    sampler.net_ = net
    sampler.generator_ = net.sampling_module()
    sampler.discriminator_ = net.discriminator_
    sampler.loss_history_ = loss_history(net.history)
    sampler.n_iter_ = len(net.history)
    return sampler
