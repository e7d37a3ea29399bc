"""Noise shown grey in the App: a value colour in the dataset's colour scheme for each run's label field.

The App's sidebar, grid and Embeddings panel colour a string field's values from the colour pool, so
without this ``"noise"`` could take a cluster's colour. Only the ``"noise"`` value of the plugin's own
fields is touched; a colour the user chose for it is kept, and every other setting stays as it was.
"""

from .encoding import NOISE

NOISE_COLOUR = "#9e9e9e"


def _fields(dataset):
    scheme = dataset.app_config.color_scheme
    return [dict(entry) for entry in (scheme.fields or [])] if scheme is not None else []


def _save_fields(dataset, fields):
    import fiftyone as fo

    scheme = dataset.app_config.color_scheme
    if scheme is None:
        scheme = fo.ColorScheme()
    scheme.fields = fields or None
    dataset.app_config.color_scheme = scheme
    dataset.save()


def show_noise_grey(dataset, path):
    """Colour ``path``'s ``"noise"`` grey, unless the user gave it a colour."""
    fields = _fields(dataset)
    entry = next((e for e in fields if e.get("path") == path), None)
    if entry is None:
        entry = {"path": path}
        fields.append(entry)
    values = list(entry.get("valueColors") or [])
    if any(v.get("value") == NOISE for v in values):
        return
    entry["valueColors"] = values + [{"value": NOISE, "color": NOISE_COLOUR}]
    _save_fields(dataset, fields)


def forget_noise_colour(dataset, path):
    """Take the grey noise colour off ``path`` (its field is gone); an entry left empty goes too."""
    fields = _fields(dataset)
    entry = next((e for e in fields if e.get("path") == path), None)
    if entry is None:
        return
    values = [v for v in entry.get("valueColors") or [] if v != {"value": NOISE, "color": NOISE_COLOUR}]
    entry["valueColors"] = values
    if not values and set(entry) <= {"path", "valueColors"}:
        fields.remove(entry)
    _save_fields(dataset, fields)


def move_noise_colour(dataset, path, new_path):
    """Follow a renamed field."""
    fields = _fields(dataset)
    for entry in fields:
        if entry.get("path") == path:
            entry["path"] = new_path
            _save_fields(dataset, fields)
            return
