"""A small U-Net (about 0.5 M parameters) and loading of the shipped weights."""

import functools
from pathlib import Path

import torch
from torch import nn
from torch.nn.utils.fusion import fuse_conv_bn_eval

WEIGHTS_PATH = Path(__file__).resolve().parent.parent / "assets" / "unet.pt"
TRAINING_GRID = 256  # the side of the square grid the shipped network was trained at


def _block(cin, cout):
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, padding=1, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
        nn.Conv2d(cout, cout, 3, padding=1, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
    )


class UNet(nn.Module):
    """Encoder-decoder with skip connections; input sides must be multiples of 2 ** (len(widths) - 1).

    Outputs logits of two maps: the cluster area, and the cluster cores used as
    watershed seeds.
    """

    def __init__(self, in_channels=2, out_channels=2, widths=(8, 16, 32, 64, 128)):
        super().__init__()
        self.config = dict(in_channels=in_channels, out_channels=out_channels, widths=tuple(widths))
        self.down = nn.ModuleList()
        cin = in_channels
        for w in widths:
            self.down.append(_block(cin, w))
            cin = w
        self.up = nn.ModuleList()
        self.merge = nn.ModuleList()
        for w in reversed(widths[:-1]):
            self.up.append(nn.ConvTranspose2d(cin, w, 2, stride=2))
            self.merge.append(_block(2 * w, w))
            cin = w
        self.head = nn.Conv2d(cin, out_channels, 1)
        self.pool = nn.MaxPool2d(2)

    def forward(self, x):
        skips = []
        for i, block in enumerate(self.down):
            x = block(x if i == 0 else self.pool(x))
            skips.append(x)
        for up, merge, skip in zip(self.up, self.merge, reversed(skips[:-1])):
            x = merge(torch.cat([up(x), skip], dim=1))
        return self.head(x)


def save_weights(model, path):
    """Store the architecture and half-precision weights in one file."""
    state = {k: v.half() if v.is_floating_point() else v for k, v in model.state_dict().items()}
    torch.save({"config": model.config, "state_dict": state}, path)


@functools.lru_cache(maxsize=4)
def load_model(path=WEIGHTS_PATH, device="cpu"):
    """The U-Net stored at ``path``, in eval mode on ``device`` and channels-last (on a CPU its convolutions then run
    about twice as fast; give it channels-last input); cached per (path, device)."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(
            f"U-Net weights not found at {path}. Reinstall the package, or pass "
            "weights=<path> of a file written by visual_clustering_core.training."
        )
    return _fold_batch_norm(read_weights(path).eval()).to(device, memory_format=torch.channels_last)


def read_weights(path):
    """The U-Net stored by ``save_weights`` at ``path``, in float32 (train mode, batch norm unfolded)."""
    saved = torch.load(path, map_location="cpu", weights_only=True)
    model = UNet(**saved["config"])
    model.load_state_dict({k: v.float() if v.is_floating_point() else v for k, v in saved["state_dict"].items()})
    return model


def _fold_batch_norm(model):
    """Fold each eval-mode batch norm into the convolution before it (same outputs, less work)."""
    for block in model.modules():
        if isinstance(block, nn.Sequential):
            for i in (0, 3):
                block[i] = fuse_conv_bn_eval(block[i], block[i + 1])
                block[i + 1] = nn.Identity()
    return model
