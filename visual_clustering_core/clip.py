"""Image embeddings from OpenCLIP, stored in a sample field."""

import numpy as np


INSTALL = "pip install open_clip_torch (or: pip install -r requirements-clip.txt in the plugin's folder)"


def openclip_installed():
    import importlib.util

    return importlib.util.find_spec("open_clip") is not None


def load_openclip(model_name="ViT-B-32", pretrained="openai", device="cpu"):
    """An OpenCLIP model and its image preprocessing; ``pretrained=None`` builds it without downloading weights."""
    try:
        import open_clip
    except ImportError as error:
        raise ImportError(f"OpenCLIP embeddings need the optional open_clip_torch package: {INSTALL}") from error
    model, _, preprocess = open_clip.create_model_and_transforms(model_name, pretrained=pretrained or None, device=device)
    return model.eval(), preprocess


def compute_clip_embeddings(
    sample_collection,
    embeddings_field,
    model_name="ViT-B-32",
    pretrained="openai",
    batch_size=32,
    device="cpu",
    progress=None,
    model=None,
):
    """Embed each sample's image with OpenCLIP into a new field ``embeddings_field`` (unit-norm vectors), by sample id.

    An existing field is never replaced: cluster it with ``embeddings_field=`` instead.
    ``model`` may be an ``(open_clip model, preprocess)`` pair already loaded.
    """
    import torch
    from PIL import Image

    dataset = sample_collection._dataset
    if dataset.has_field(embeddings_field):
        raise ValueError(
            f"field {embeddings_field!r} already exists and is never overwritten; cluster it as an embeddings field, "
            "or store the OpenCLIP embeddings in another field."
        )
    model, preprocess = model or load_openclip(model_name, pretrained, device)
    ids, paths = sample_collection.values(["id", "filepath"])
    embeddings = {}
    for start in range(0, len(ids), batch_size):
        batch = [preprocess(Image.open(path).convert("RGB")) for path in paths[start : start + batch_size]]
        with torch.inference_mode():
            vectors = model.encode_image(torch.stack(batch).to(device)).float()
        vectors = torch.nn.functional.normalize(vectors, dim=-1).cpu().numpy()
        embeddings.update(zip(ids[start : start + batch_size], vectors.astype(np.float32)))
        if progress is not None:
            progress(0.3 * (start + len(batch)) / len(ids), f"OpenCLIP embeddings {start + len(batch)}/{len(ids)}")
    dataset.set_values(embeddings_field, embeddings, key_field="id")
    return embeddings_field
