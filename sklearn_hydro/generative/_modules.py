"""Torch modules of GANSampler: generators and discriminators, dense and convolutional.

Dense ("mlp") networks follow the GAN tutorial on handwritten digits: the generator stacks
``Linear -> BatchNorm1d -> Dropout -> LeakyReLU(0.2)`` blocks fed with Gaussian noise and ends
in ``Linear -> Tanh`` (rows in ``[-1, 1]``); the discriminator stacks
``Linear -> LeakyReLU(0.2) -> Dropout`` blocks.

Convolutional ("conv") networks treat each row as an image of ``image_shape``, in the DCGAN
pattern (Radford et al., ICLR 2016): the generator projects the noise to a small feature map
and doubles its height and width with ``ConvTranspose2d -> BatchNorm2d -> ReLU`` blocks; the
discriminator halves them with strided convolutions. Every layer of the convolutional
discriminator has spectral normalisation (Miyato et al., ICLR 2018), which bounds its
Lipschitz constant and keeps the adversarial game from diverging or collapsing without
hand-tuned learning rates.

Discriminators return one **logit** per row (no sigmoid): the loss is
``BCEWithLogitsLoss``, the numerically stable form. For conditional generation both networks
also receive the one-hot class, concatenated to the noise (generator) or to the flattened
features (discriminators).
"""

import math

import torch
from torch import nn
from torch.nn import functional as F

NEGATIVE_SLOPE = 0.2


class SpectralNorm(nn.Module):
    """A ``Linear`` or ``Conv2d`` layer whose weight is divided by its spectral norm.

    The largest singular value of the weight (reshaped to ``(out, -1)``) is estimated with one
    step of power iteration per training forward pass, reusing the left singular vector
    ``u`` (a buffer) from the step before (Miyato et al., ICLR 2018); ``u`` and ``v`` carry no
    gradient, so the gradient flows through ``sigma = u^T W v``. Written as a plain module
    (no parametrization), so networks that use it can be pickled and deep-copied.

    Parameters
    ----------
    layer : torch.nn.Linear or torch.nn.Conv2d
        The layer to normalise.
    """

    def __init__(self, layer):
        super().__init__()
        self.layer = layer
        u = torch.randn(layer.weight.shape[0])
        self.register_buffer("u", F.normalize(u, dim=0))

    def forward(self, x):
        weight = self.layer.weight
        matrix = weight.flatten(1)
        with torch.no_grad():
            if self.training:
                v = F.normalize(matrix.t() @ self.u, dim=0)
                self.u.copy_(F.normalize(matrix @ v, dim=0))
            # a copy: a later forward pass updates the buffer in place before backward runs
            u = self.u.clone()
            v = F.normalize(matrix.t() @ u, dim=0)
        weight = weight / (u @ matrix @ v)
        layer = self.layer
        if isinstance(layer, nn.Conv2d):
            return F.conv2d(x, weight, layer.bias, layer.stride, layer.padding, layer.dilation,
                            layer.groups)
        return F.linear(x, weight, layer.bias)


def spectral_norm(layer):
    return SpectralNorm(layer)


def _with_class(h, onehot):
    return h if onehot is None else torch.cat([h, onehot], dim=1)


class MLPGenerator(nn.Module):
    """Maps ``latent_dim`` Gaussian noise (plus an optional one-hot class) to a row in [-1, 1].

    Parameters
    ----------
    n_features : int
        Width of the generated rows.
    latent_dim : int
        Size of the noise vector.
    hidden : tuple of int
        Width of each ``Linear -> BatchNorm1d -> Dropout -> LeakyReLU`` block.
    dropout : float
        Dropout probability inside the blocks.
    n_classes : int, default=0
        Number of classes for conditional generation (0: unconditional).
    """

    def __init__(self, n_features, latent_dim, hidden, dropout, n_classes=0):
        super().__init__()
        layers = []
        width = latent_dim + n_classes
        for size in hidden:
            layers += [
                nn.Linear(width, size),
                nn.BatchNorm1d(size),
                nn.Dropout(dropout),
                nn.LeakyReLU(NEGATIVE_SLOPE),
            ]
            width = size
        layers += [nn.Linear(width, n_features), nn.Tanh()]
        self.net = nn.Sequential(*layers)

    def forward(self, z, onehot=None):
        return self.net(_with_class(z, onehot))


class MLPDiscriminator(nn.Module):
    """Logit that a row is real, from ``Linear -> LeakyReLU -> Dropout`` blocks.

    Parameters
    ----------
    n_features : int
        Width of the rows.
    hidden : tuple of int
        Width of each block.
    dropout : float
        Dropout probability after each activation.
    n_classes : int, default=0
        Number of classes for conditional generation (0: unconditional).
    """

    def __init__(self, n_features, hidden, dropout, n_classes=0):
        super().__init__()
        layers = []
        width = n_features + n_classes
        for size in hidden:
            layers += [nn.Linear(width, size), nn.LeakyReLU(NEGATIVE_SLOPE), nn.Dropout(dropout)]
            width = size
        layers.append(nn.Linear(width, 1))
        self.net = nn.Sequential(*layers)

    def forward(self, x, onehot=None):
        return self.net(_with_class(x, onehot)).squeeze(1)


def _start_size(image_shape, n_blocks):
    """Height and width of the generator's first feature map (``n_blocks`` doublings)."""
    _, height, width = image_shape
    return math.ceil(height / 2**n_blocks), math.ceil(width / 2**n_blocks)


class ConvGenerator(nn.Module):
    """DCGAN generator: noise -> small feature map -> upsampling blocks -> image in [-1, 1].

    The noise (plus the one-hot class) is projected by ``Linear -> BatchNorm1d -> ReLU`` to
    ``channels[-1]`` maps of ``ceil(height / 2**k) x ceil(width / 2**k)`` pixels
    (``k = len(channels)``); each of ``k`` ``ConvTranspose2d(kernel 4, stride 2) ->
    BatchNorm2d -> ReLU`` blocks doubles the size while going through ``channels`` in reverse;
    a ``Conv2d(kernel 3) -> Tanh`` makes the image, cropped to ``image_shape`` and flattened.

    Parameters
    ----------
    image_shape : tuple of int
        ``(channels, height, width)`` of the images.
    latent_dim : int
        Size of the noise vector.
    channels : tuple of int
        Feature maps per resolution, finest first (the discriminator's order).
    n_classes : int, default=0
        Number of classes for conditional generation (0: unconditional).
    """

    def __init__(self, image_shape, latent_dim, channels, n_classes=0):
        super().__init__()
        self.image_shape = tuple(image_shape)
        self.start = (channels[-1], *_start_size(self.image_shape, len(channels)))
        size = math.prod(self.start)
        self.project = nn.Sequential(
            nn.Linear(latent_dim + n_classes, size), nn.BatchNorm1d(size), nn.ReLU()
        )
        widths = [*channels[::-1], channels[0]]
        blocks = []
        for c_in, c_out in zip(widths[:-1], widths[1:], strict=True):
            blocks += [
                nn.ConvTranspose2d(c_in, c_out, kernel_size=4, stride=2, padding=1),
                nn.BatchNorm2d(c_out),
                nn.ReLU(),
            ]
        blocks += [nn.Conv2d(widths[-1], self.image_shape[0], kernel_size=3, padding=1),
                   nn.Tanh()]
        self.blocks = nn.Sequential(*blocks)

    def forward(self, z, onehot=None):
        h = self.project(_with_class(z, onehot)).reshape(-1, *self.start)
        _, height, width = self.image_shape
        return self.blocks(h)[:, :, :height, :width].flatten(1)


class ConvDiscriminator(nn.Module):
    """Logit that a flattened image is real, from spectrally normalised strided convolutions.

    Each entry of ``channels`` adds a ``Conv2d(kernel 4, stride 2, padding 1) -> LeakyReLU``
    block (halving the height and width); the flattened features (plus the one-hot class when
    conditional) go through ``Linear -> LeakyReLU -> Dropout`` blocks of ``hidden`` units
    and a ``Linear`` output. Every convolution and linear layer is spectrally normalised.

    Parameters
    ----------
    image_shape : tuple of int
        ``(channels, height, width)`` of the images; rows are reshaped to it.
    channels : tuple of int
        Output channels of each convolution block.
    hidden : tuple of int
        Width of each linear block after the convolutions (may be empty).
    dropout : float
        Dropout probability of the linear blocks.
    n_classes : int, default=0
        Number of classes for conditional generation (0: unconditional).
    """

    def __init__(self, image_shape, channels, hidden, dropout, n_classes=0):
        super().__init__()
        self.image_shape = tuple(image_shape)
        in_channels, height, width = self.image_shape
        layers = []
        for out_channels in channels:
            layers += [
                spectral_norm(nn.Conv2d(in_channels, out_channels, 4, stride=2, padding=1)),
                nn.LeakyReLU(NEGATIVE_SLOPE),
            ]
            in_channels = out_channels
            height, width = height // 2, width // 2
        layers.append(nn.Flatten())
        self.features = nn.Sequential(*layers)
        size = in_channels * height * width + n_classes
        head = []
        for units in hidden:
            head += [spectral_norm(nn.Linear(size, units)), nn.LeakyReLU(NEGATIVE_SLOPE),
                     nn.Dropout(dropout)]
            size = units
        head.append(spectral_norm(nn.Linear(size, 1)))
        self.head = nn.Sequential(*head)

    def forward(self, x, onehot=None):
        h = self.features(x.reshape(-1, *self.image_shape))
        return self.head(_with_class(h, onehot)).squeeze(1)
