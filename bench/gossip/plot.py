#!/usr/bin/env python3
"""Draws the gossip bench CSV (bench/gossip/run.sh) as an SVG: convergence time and steady-state bytes/s per node
against N, each against its goal (5 s, 4 KiB/s). Standard library only."""
import csv
import math
import sys


def panel(x0, title, unit, points, goal, goal_label):
    w, h, left, bottom = 420, 260, 60, 40
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    ymax = max(ys + [goal]) * 1.15
    lx = [math.log10(x) for x in xs]
    xmin, xmax = math.log10(min(xs)) - 0.1, math.log10(max(xs)) + 0.1

    def px(x):
        return x0 + left + (math.log10(x) - xmin) / (xmax - xmin) * (w - left - 20)

    def py(y):
        return 30 + (h - bottom - 30) * (1 - y / ymax)

    out = [f'<text x="{x0 + w / 2}" y="18" text-anchor="middle" font-size="14">{title}</text>',
           f'<line x1="{x0 + left}" y1="{py(0)}" x2="{x0 + w - 20}" y2="{py(0)}" stroke="black"/>',
           f'<line x1="{x0 + left}" y1="{py(0)}" x2="{x0 + left}" y2="30" stroke="black"/>',
           f'<line x1="{x0 + left}" y1="{py(goal)}" x2="{x0 + w - 20}" y2="{py(goal)}" stroke="red" '
           f'stroke-dasharray="5,4"/>',
           f'<text x="{x0 + w - 22}" y="{py(goal) - 4}" text-anchor="end" font-size="11" fill="red">{goal_label}</text>',
           f'<text x="{x0 + 14}" y="{30 + (h - 70) / 2}" font-size="11" transform="rotate(-90 {x0 + 14} '
           f'{30 + (h - 70) / 2})" text-anchor="middle">{unit}</text>',
           f'<text x="{x0 + w / 2}" y="{h + 5}" text-anchor="middle" font-size="11">N (nodes, log scale)</text>']
    for i in range(5):
        y = ymax / 1.15 * i / 4
        out.append(f'<text x="{x0 + left - 5}" y="{py(y) + 4}" text-anchor="end" font-size="10">{y:.0f}</text>')
    path = " ".join(f'{px(x)},{py(y)}' for x, y in points)
    out.append(f'<polyline points="{path}" fill="none" stroke="steelblue" stroke-width="2"/>')
    for x, y in points:
        out.append(f'<circle cx="{px(x)}" cy="{py(y)}" r="3.5" fill="steelblue"/>')
        out.append(f'<text x="{px(x)}" y="{py(y) - 8}" text-anchor="middle" font-size="10">{y:.0f}</text>')
        out.append(f'<text x="{px(x)}" y="{py(0) + 14}" text-anchor="middle" font-size="10">{x}</text>')
    return out


def main():
    rows = list(csv.DictReader(open(sys.argv[1])))
    conv = [(int(r["n"]), int(r["convergence_ms"])) for r in rows if int(r["convergence_ms"]) >= 0]
    # A network that never converged has no steady state: its bytes/s are a start still going on, not a cost per N.
    rate = [(int(r["n"]), int(r["bytes_per_s_per_node"])) for r in rows if int(r["convergence_ms"]) >= 0]
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" width="880" height="280" font-family="sans-serif">',
             '<rect width="100%" height="100%" fill="white"/>']
    parts += panel(0, "Routes right after the last start", "ms", conv, 5000, "goal 5 s")
    parts += panel(440, "Steady state, bytes/s sent per node (rtimer 10 s)", "B/s", rate, 4096, "goal 4 KiB/s")
    parts.append('</svg>')
    open(sys.argv[2], "w").write("\n".join(parts) + "\n")


if __name__ == "__main__":
    main()
