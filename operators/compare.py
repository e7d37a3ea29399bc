"""Compare clustering runs: a table of scores, the agreement between runs, and a picture."""

import base64
import tempfile
from pathlib import Path

import fiftyone as fo
import fiftyone.operators as foo
import fiftyone.operators.types as types

from ..visual_clustering_core.comparison import compare_clustering_runs
from .forms import ICON, run_choice


def truth_fields(dataset):
    """Sample fields that can hold true classes: strings, integers, booleans and classifications."""
    schema = dataset.get_field_schema(flat=True)
    scalar = (fo.StringField, fo.IntField, fo.BooleanField)
    return sorted(
        name
        for name, field in schema.items()
        if "." not in name and name not in ("id", "filepath")
        and (isinstance(field, scalar) or (isinstance(field, fo.EmbeddedDocumentField) and issubclass(field.document_type, fo.Classification)))
    )


class CompareClusteringRuns(foo.Operator):
    @property
    def config(self):
        return foo.OperatorConfig(
            name="compare_clustering_runs",
            label="Compare clustering runs",
            description="Scores, agreement and a side-by-side picture of clustering runs",
            dynamic=True,
            icon=ICON,
        )

    def resolve_input(self, ctx):
        inputs = types.Object()
        if run_choice(ctx, inputs, name="run_keys", label="Runs to compare", multiple=True) is not None:
            fields = truth_fields(ctx.dataset)
            inputs.enum(
                "gt_field",
                fields,
                label="Ground truth (optional)",
                description="A field of true classes: for patch runs, an attribute of the patches such as 'label'",
                view=types.AutocompleteView(allow_user_input=True),
            )
        return types.Property(inputs, view=types.View(label="Compare clustering runs"))

    def execute(self, ctx):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "runs.png"
            comparison = compare_clustering_runs(ctx.dataset, ctx.params["run_keys"], ctx.params.get("gt_field") or None, path)
            report = comparison.to_markdown()
            if comparison.plot_path:
                report = f"![The points coloured by each run](data:image/png;base64,{base64.b64encode(path.read_bytes()).decode()})\n\n" + report
        return {"report": report, "rows": comparison.rows}

    def resolve_output(self, ctx):
        outputs = types.Object()
        outputs.str("report", label="Comparison", view=types.MarkdownView(read_only=True))
        return types.Property(outputs, view=types.View(label="Clustering runs compared"))
