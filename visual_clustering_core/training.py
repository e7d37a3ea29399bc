"""Train the U-Net on synthetic datasets: seeded, resumable, time-limited.

    python -m visual_clustering_core.training --steps 3000 --out assets/unet.pt

Sample ``i`` of the training stream is drawn from seed ``[seed, 0, i]`` and the
held-out suite from ``[seed, 1, i]``, so a run is reproduced by its arguments,
whatever the number of workers; fine-tuning (``--init``) weights of the same
seed goes on from the first sample they were not trained on. A checkpoint
directory (model, optimizer and schedule, step) is written every
``--checkpoint-every`` steps and when ``--max-minutes`` runs out; running the
same command again resumes from it.
At the end the weights go to ``--out`` and held-out metrics next to them.
"""

import argparse
import json
import time
from pathlib import Path

import numpy as np
import torch
from threadpoolctl import threadpool_limits
from torch.nn import functional as F

from .raster import GridTransform, density_image, finite_bounds, pixel_counts
from .synthetic import make_dataset
from .targets import CORE_DEPTH, area_and_core, instance_targets
from .unet import TRAINING_GRID, UNet, read_weights, save_weights

RESOLUTION = TRAINING_GRID


def render_example(seed, resolution=RESOLUTION):
    """One synthetic dataset rendered as the network sees it.

    Returns ``(image, target, X, labels)``: the (2, R, R) input, the (2, R, R)
    area/core target, the points and their labels after the overlap merge.
    """
    X, labels = make_dataset(seed)
    lo, hi, _ = finite_bounds(X)
    pixels = GridTransform.from_bounds(lo, hi, resolution).pixel_indices(X)
    image = density_image(pixel_counts(pixels, resolution))
    instances, merged = instance_targets(pixels, labels, resolution, seed=0)
    return image, area_and_core(instances), X, merged


class SyntheticImages(torch.utils.data.Dataset):
    """Map-style dataset: item ``i`` is rendered from seed ``[seed, stream, i]``."""

    def __init__(self, seed, stream, length):
        self.seed, self.stream, self.length = seed, stream, length

    def __len__(self):
        return self.length

    def __getitem__(self, i):
        image, target, _, _ = render_example([self.seed, self.stream, i])
        return torch.from_numpy(image), torch.from_numpy(target)


def loss_fn(logits, target):
    """Binary cross-entropy on both maps plus soft Dice on the area."""
    bce = F.binary_cross_entropy_with_logits(logits, target)
    prob = torch.sigmoid(logits[:, 0])
    inter = (prob * target[:, 0]).sum(dim=(1, 2))
    dice = 1 - (2 * inter + 1) / (prob.sum(dim=(1, 2)) + target[:, 0].sum(dim=(1, 2)) + 1)
    return bce + dice.mean()


def _worker_init(_):
    """One thread per data worker: the BLAS's and OpenMP's pools would each take every core (on 16 cores, 15 workers
    drew 59 datasets a second so and 134 with one thread each)."""
    torch.set_num_threads(1)
    threadpool_limits(1)


def _loader(dataset, indices, batch_size, workers):
    return torch.utils.data.DataLoader(
        dataset,
        batch_size=batch_size,
        sampler=indices,
        num_workers=workers,
        worker_init_fn=_worker_init if workers else None,
        persistent_workers=False,
        prefetch_factor=4 if workers else None,
    )


@torch.inference_mode()
def evaluate(model, seed, n_examples, device, workers=0, batch_size=16):
    """IoU of the predicted area and core masks on the held-out suite: mean per image, and pooled over all pixels."""
    model.eval()
    ious = {"area": [], "core": []}
    pooled = np.zeros((2, 2))  # (map, intersection/union)
    data = SyntheticImages(seed, 1, n_examples)
    for images, targets in _loader(data, range(n_examples), batch_size, workers):
        pred = model(images.to(device)).float().sigmoid().cpu() >= 0.5
        truth = targets >= 0.5
        inter = (pred & truth).sum(dim=(2, 3)).double()
        union = (pred | truth).sum(dim=(2, 3)).double()
        iou = torch.where(union > 0, inter / union.clamp(min=1), torch.ones_like(union))
        ious["area"] += iou[:, 0].tolist()
        ious["core"] += iou[:, 1].tolist()
        pooled += torch.stack([inter.sum(dim=0), union.sum(dim=0)], dim=1).numpy()
    model.train()
    metrics = {f"heldout_{k}_iou": float(np.mean(v)) for k, v in ious.items()}
    metrics |= {f"heldout_{k}_iou_pooled": float(pooled[i, 0] / pooled[i, 1]) for i, k in enumerate(ious)}
    return metrics | {"heldout_examples": n_examples}


def _save_checkpoint(directory, model, optimizer, scheduler, step, elapsed):
    directory.mkdir(parents=True, exist_ok=True)
    torch.save({"model": model.state_dict(), "step": step, "elapsed": elapsed}, directory / "model.pt")
    torch.save({"optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict()}, directory / "optimizer.pt")


def train(
    steps=3000,
    batch_size=32,
    lr=2e-3,
    seed=0,
    workers=0,
    out="assets/unet.pt",
    checkpoint="checkpoints/unet",
    checkpoint_every=250,
    max_minutes=None,
    eval_examples=512,
    device=None,
    init=None,
    log=print,
):
    """Train (or resume) and return the metrics dict; writes ``out`` and ``out``'s metrics JSON when done."""
    device = device or ("cuda" if torch.cuda.is_available() else "cpu")
    torch.manual_seed(seed)
    model = (read_weights(init) if init else UNet()).to(device)
    base = json.loads(Path(init).with_suffix(".json").read_text()) if init else None
    first = base["examples_seen"] if base and base.get("seed") == seed else 0  # fine-tuning draws datasets anew
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-4)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr, total_steps=steps, pct_start=0.05)
    checkpoint = Path(checkpoint)
    step, elapsed = 0, 0.0
    if (checkpoint / "model.pt").is_file():
        saved = torch.load(checkpoint / "model.pt", map_location=device, weights_only=True)
        states = torch.load(checkpoint / "optimizer.pt", map_location=device, weights_only=True)
        model.load_state_dict(saved["model"])
        optimizer.load_state_dict(states["optimizer"])
        scheduler.load_state_dict(states["scheduler"])
        step, elapsed = saved["step"], saved["elapsed"]
        log(f"resumed from {checkpoint} at step {step}")
    n_params = sum(p.numel() for p in model.parameters())
    log(f"U-Net with {n_params:,} parameters on {device}; steps {step}..{steps}, batch {batch_size}")

    started = time.time() - elapsed
    deadline = time.time() + 60 * max_minutes if max_minutes is not None else None
    data = SyntheticImages(seed, 0, first + steps * batch_size)
    model.train()
    running = []
    autocast = torch.autocast("cuda", dtype=torch.bfloat16, enabled=device.startswith("cuda"))
    for images, targets in _loader(data, range(first + step * batch_size, first + steps * batch_size), batch_size, workers):
        with autocast:
            logits = model(images.to(device, non_blocking=True))
        loss = loss_fn(logits.float(), targets.to(device, non_blocking=True))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        scheduler.step()
        step += 1
        running.append(loss.item())
        if step % 50 == 0 or step == steps:
            log(f"step {step}/{steps} loss {np.mean(running):.4f} {time.time() - started:.0f}s")
            running = []
        out_of_time = deadline is not None and time.time() > deadline
        if step % checkpoint_every == 0 or step == steps or out_of_time:
            _save_checkpoint(checkpoint, model, optimizer, scheduler, step, time.time() - started)
        if out_of_time and step < steps:
            log(f"time limit reached at step {step}; run the same command again to resume")
            return {"step": step, "finished": False}

    metrics = {
        "parameters": n_params,
        "steps": steps,
        "batch_size": batch_size,
        "examples_seen": steps * batch_size,
        "learning_rate": lr,
        "seed": seed,
        "train_seconds": round(time.time() - started, 1),
        "device": torch.cuda.get_device_name() if device.startswith("cuda") else "cpu",
        "finished": True,
    }
    if init:
        metrics["initialised_from"] = base
        metrics["first_example"] = first
    metrics |= evaluate(model, seed, eval_examples, device, workers)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    save_weights(model.cpu(), out)
    out.with_suffix(".json").write_text(json.dumps(metrics, indent=2) + "\n")
    write_model_card(metrics, out.parent / "MODEL_CARD.md", out.name)
    log(json.dumps(metrics, indent=2))
    return metrics


def write_model_card(metrics, path, weights_name="unet.pt"):
    """The model card: what the network is, how it was trained, how well it does on held-out data."""
    m = metrics
    command = (
        f"python -m visual_clustering_core.training --steps {m['steps']} --batch-size {m['batch_size']} "
        f"--lr {m['learning_rate']} --seed {m['seed']}"
    )
    start = "random weights"
    if "initialised_from" in m:
        base = m["initialised_from"]
        command += " --init <those weights>"
        start = (
            f"the `--init` weights ({base['steps']:,} steps of batch {base['batch_size']}, learning rate "
            f"{base['learning_rate']}, {base['train_seconds'] / 60:.0f} minutes on {base['device']})"
        )
    drawn = f"{m['examples_seen']:,} datasets, none repeated"
    if m.get("first_example"):
        drawn += f": samples {m['first_example']:,} on, after those the `--init` weights saw"
    Path(path).write_text(f"""# Model card: visual clustering U-Net (`{weights_name}`)

**What it does.** Given a 256 x 256 rendering of 2-D points (channel 0: occupancy,
channel 1: log(1 + count) divided by its maximum), it outputs two logit maps: the
areas a person would draw around clusters, and the cores of those areas. Engine v2
uses the area map only: which points are cluster and which are noise, and where a
visible gap separates two groups (its connected components cut the density's basins);
which cluster an area pixel belongs to is otherwise decided on the point density
(`segmentation.py`).

**Architecture.** U-Net, 5 levels of two 3x3 convolutions with batch norm and ReLU,
widths 8-16-32-64-128, max-pool down, transposed-convolution up, skip connections,
1x1 head: {m['parameters']:,} parameters, stored in half precision
({Path(path).with_name(weights_name).stat().st_size / 1e6:.1f} MB). Fully convolutional:
any side that is a multiple of 16 works.

**Training data.** Drawn on the fly by `visual_clustering_core/synthetic.py`, sample
`i` from seed `[seed, 0, i]`: isotropic, anisotropic, heavy-tailed and varied-spread
blobs, filled discs and rectangles, moons and arcs, rings (also concentric pairs),
spirals, lines and curves; 1 to 150 clusters of very uneven sizes (Dirichlet
weights), 100 to 10 million points (log-uniform to 2 M, 2% from 3 to 10 M), uniform
background noise in 60% of datasets (up to 12%), random axis stretch. Targets from
`targets.py`: each cluster's density level set (5% of its smoothed peak, smoothed at
its own point spacing), clusters whose dense cores (30% level) overlap by 30% or
more of the smaller merged (the paper's rule), contested pixels to the densest
cluster, a gap between neighbours; the core is each area's pixels at least {CORE_DEPTH:.0%} of
its maximum depth from the edge.

**Training.** From {start}: {m['steps']:,} steps of batch {m['batch_size']} ({drawn}),
AdamW (weight decay 1e-4), one-cycle learning rate peaking
at {m['learning_rate']}, loss = binary cross-entropy on both maps + soft Dice on the
area. Seed {m['seed']}; {m['train_seconds'] / 60:.0f} minutes on {m['device']}.
Reproduce with:

    {command}

**Held-out evaluation.** {m['heldout_examples']} datasets from the held-out stream
(seeds `[seed, 1, i]`), never seen in training. Area mask IoU: **{m['heldout_area_iou_pooled']:.3f}**
pooled over all pixels, {m['heldout_area_iou']:.3f} as a mean over images (where a
sparse 100-point dataset weighs as much as a dense one). The paper reports 0.887
with a 31 M-parameter network. Core mask: {m['heldout_core_iou_pooled']:.3f} pooled,
{m['heldout_core_iou']:.3f} per image. Clustering quality (AMI) on
held-out datasets and on scikit-learn's toy datasets is in the README's benchmark
tables (`bench/bench_engine.py`).

**Limits.** Trained at 256 x 256; on a finer grid `VisualClustering` shows it the
counts pooled to 256 and spreads its area back, and on a coarser one it sees a
plot off its training distribution. Clusters a person could not tell apart in the plot (heavily
overlapping, or narrower than about two pixels apart) are merged.
""")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=0, help="data-generating processes")
    parser.add_argument("--out", default="assets/unet.pt")
    parser.add_argument("--checkpoint", default="checkpoints/unet", help="directory, resumed from if present")
    parser.add_argument("--checkpoint-every", type=int, default=250)
    parser.add_argument("--max-minutes", type=float, default=None, help="stop (resumably) after this long")
    parser.add_argument("--eval-examples", type=int, default=512)
    parser.add_argument("--device", default=None)
    parser.add_argument("--init", default=None, help="start from these weights (fine-tuning) instead of random ones")
    args = parser.parse_args(argv)
    train(**{k.replace("-", "_"): v for k, v in vars(args).items()})


if __name__ == "__main__":
    main()
