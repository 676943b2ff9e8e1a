"""Draws the operator's view: every panel of the Grafana dashboard, from Prometheus's answers.

    /usr/bin/python3 scripts/lib/operator-view.py PROMETHEUS_URL DASHBOARD_JSON START END OUT_PNG [MARK_TIME MARK_LABEL]

Runs each panel's PromQL expressions, as the dashboard has them ($node as .*, $__rate_interval as
RATE), over [START, END] (Unix seconds) through Prometheus's HTTP API (/api/v1/query_range), and
draws one small chart per panel into OUT_PNG. Used by scripts/dashboard; needs Debian's
python3-matplotlib.
"""
import json
import sys
import urllib.parse
import urllib.request

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

RATE = "10s"
STEP = 2


def query_range(prometheus, expr, start, end):
    params = urllib.parse.urlencode({"query": expr, "start": start, "end": end, "step": STEP})
    with urllib.request.urlopen(prometheus + "/api/v1/query_range?" + params, timeout=30) as answer:
        body = json.load(answer)
    if body.get("status") != "success":
        raise SystemExit("operator-view: Prometheus refused " + expr + ": " + json.dumps(body))
    return body["data"]["result"]


def legend(template, labels):
    text = template
    for key, value in labels.items():
        text = text.replace("{{" + key + "}}", value)
    while "{{" in text:  # a label the series does not have
        text = text[:text.index("{{")] + text[text.index("}}") + 2:]
    return " ".join(text.split())


def main(argv):
    if len(argv) not in (6, 8):
        raise SystemExit(__doc__)
    prometheus, dashboard_path, start, end, out = argv[1], argv[2], float(argv[3]), float(argv[4]), argv[5]
    mark = (float(argv[6]) - start, argv[7]) if len(argv) == 8 else None
    with open(dashboard_path) as f:
        dashboard = json.load(f)
    panels = [p for p in dashboard["panels"] if p.get("type") != "row"]
    columns = 3
    rows = (len(panels) + columns - 1) // columns
    figure, axes = plt.subplots(rows, columns, figsize=(13, 2.35 * rows), dpi=72, sharex=True)
    for ax, panel in zip(axes.flat, panels):
        unit = panel.get("fieldConfig", {}).get("defaults", {}).get("unit", "")
        for target in panel["targets"]:
            expr = target["expr"].replace("$node", ".*").replace("$__rate_interval", RATE)
            for series in query_range(prometheus, expr, start, end):
                xs = [float(t) - start for t, _ in series["values"]]
                ys = [float(v) for _, v in series["values"]]
                if unit == "percentunit":
                    ys = [y * 100 for y in ys]
                ax.plot(xs, ys, linewidth=1.2, label=legend(target.get("legendFormat", ""), series["metric"]))
        if mark:
            ax.axvline(mark[0], color="grey", linestyle=":", linewidth=1)
        ax.set_title(panel["title"], fontsize=9)
        ax.tick_params(labelsize=7)
        ax.set_ylabel({"s": "seconds", "ms": "ms", "ops": "per second", "Bps": "bytes/s",
                       "percentunit": "%"}.get(unit, ""), fontsize=7)
        ax.grid(True, linewidth=0.3)
        if ax.lines:
            ax.legend(fontsize=6, loc="upper left", frameon=False)
    for ax in axes.flat[len(panels):]:
        ax.axis("off")
    for ax in axes[-1]:
        ax.set_xlabel("seconds into the run" + (" (dotted: " + mark[1] + ")" if mark else ""), fontsize=7)
    figure.suptitle(dashboard["title"] + ": one node under a short load, from Prometheus", fontsize=10)
    figure.tight_layout()
    figure.savefig(out, dpi=72)


if __name__ == "__main__":
    main(sys.argv)
