"""Torch modules of the GAN sampler: the tutorial's generator and two discriminators.

The generator follows the GAN tutorial on handwritten digits: blocks of
``Linear -> BatchNorm1d -> Dropout -> LeakyReLU(0.2)`` fed with Gaussian noise, ending in a
``Linear -> Tanh`` layer, so that it produces rows in ``[-1, 1]``. The discriminators end in
a sigmoid and return the probability that a row is real, one value per row.

For conditional generation both networks also receive the one-hot encoded class, concatenated
to their input (the generator's noise, the MLP discriminator's row, the convolutional
discriminator's flattened features).
"""

import torch
from torch import nn

NEGATIVE_SLOPE = 0.2


class Generator(nn.Module):
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
        self.latent_dim = latent_dim
        self.n_classes = n_classes
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

    def forward(self, z, y_onehot=None):
        if self.n_classes:
            z = torch.cat([z, y_onehot], dim=1)
        return self.net(z)


class MLPDiscriminator(nn.Module):
    """Probability that a row is real: ``Linear -> LeakyReLU -> Dropout`` blocks, then a sigmoid.

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
        self.n_classes = n_classes
        layers = []
        width = n_features + n_classes
        for size in hidden:
            layers += [nn.Linear(width, size), nn.LeakyReLU(NEGATIVE_SLOPE), nn.Dropout(dropout)]
            width = size
        layers += [nn.Linear(width, 1), nn.Sigmoid()]
        self.net = nn.Sequential(*layers)

    def forward(self, x, y_onehot=None):
        if self.n_classes:
            x = torch.cat([x, y_onehot], dim=1)
        return self.net(x).squeeze(1)


class ConvDiscriminator(nn.Module):
    """Probability that a flattened image is real, from strided convolutions.

    Each entry of ``channels`` adds a ``Conv2d(kernel 3, stride 2, padding 1) -> LeakyReLU ->
    Dropout`` block (halving the height and width); the flattened features (plus the one-hot
    class when conditional) go through ``Linear -> LeakyReLU -> Dropout`` blocks of ``hidden``
    units and a ``Linear -> Sigmoid`` output.

    Parameters
    ----------
    image_shape : tuple of int
        ``(channels, height, width)`` of the images; rows are reshaped to it.
    channels : tuple of int
        Output channels of each convolution block.
    hidden : tuple of int
        Width of each linear block after the convolutions (may be empty).
    dropout : float
        Dropout probability after each activation.
    n_classes : int, default=0
        Number of classes for conditional generation (0: unconditional).
    """

    def __init__(self, image_shape, channels, hidden, dropout, n_classes=0):
        super().__init__()
        self.image_shape = tuple(image_shape)
        self.n_classes = n_classes
        in_channels, height, width = self.image_shape
        layers = []
        for out_channels in channels:
            layers += [
                nn.Conv2d(in_channels, out_channels, kernel_size=3, stride=2, padding=1),
                nn.LeakyReLU(NEGATIVE_SLOPE),
                nn.Dropout(dropout),
            ]
            in_channels = out_channels
            height, width = (height + 1) // 2, (width + 1) // 2
        layers.append(nn.Flatten())
        self.features = nn.Sequential(*layers)
        size = in_channels * height * width + n_classes
        head = []
        for units in hidden:
            head += [nn.Linear(size, units), nn.LeakyReLU(NEGATIVE_SLOPE), nn.Dropout(dropout)]
            size = units
        head += [nn.Linear(size, 1), nn.Sigmoid()]
        self.head = nn.Sequential(*head)

    def forward(self, x, y_onehot=None):
        h = self.features(x.reshape(-1, *self.image_shape))
        if self.n_classes:
            h = torch.cat([h, y_onehot], dim=1)
        return self.head(h).squeeze(1)
