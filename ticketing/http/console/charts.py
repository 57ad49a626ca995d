"""A server-rendered SVG chart of requests per day: no script, no CDN, prints as it shows."""

from __future__ import annotations

from markupsafe import Markup, escape

from ticketing.services.read_models import DayCount

WIDTH, HEIGHT, PAD_LEFT, PAD_BOTTOM, PAD_TOP = 720, 220, 40, 28, 12


def days_chart(days: list[DayCount]) -> Markup:
    """Bars of new requests and a line of resolved ones, with a title and a text fallback for screen readers."""
    if not days:
        return Markup('<p class="muted">За период обращений нет.</p>')
    peak = max(max(d.created, d.resolved) for d in days) or 1
    plot_w, plot_h = WIDTH - PAD_LEFT - 8, HEIGHT - PAD_BOTTOM - PAD_TOP
    step = plot_w / len(days)
    bar = max(1.0, step * 0.6)
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="chart-title chart-desc">',
        '<title id="chart-title">Обращения по дням</title>',
        f'<desc id="chart-desc">Поступило всего {sum(d.created for d in days)}, решено '
        f"{sum(d.resolved for d in days)} за {len(days)} дн.</desc>",
        f'<line x1="{PAD_LEFT}" y1="{PAD_TOP + plot_h}" x2="{WIDTH - 8}" y2="{PAD_TOP + plot_h}" class="axis"/>',
        f'<text x="{PAD_LEFT - 6}" y="{PAD_TOP + 4}" class="tick" text-anchor="end">{peak}</text>',
        f'<text x="{PAD_LEFT - 6}" y="{PAD_TOP + plot_h}" class="tick" text-anchor="end">0</text>',
    ]
    points = []
    for i, day in enumerate(days):
        x = PAD_LEFT + i * step + (step - bar) / 2
        h = plot_h * day.created / peak
        label = escape(f"{day.day}: поступило {day.created}, решено {day.resolved}")
        parts.append(
            f'<rect x="{x:.1f}" y="{PAD_TOP + plot_h - h:.1f}" width="{bar:.1f}" height="{h:.1f}" class="bar">'
            f"<title>{label}</title></rect>"
        )
        points.append(f"{PAD_LEFT + i * step + step / 2:.1f},{PAD_TOP + plot_h - plot_h * day.resolved / peak:.1f}")
        if len(days) <= 16 or i % max(1, len(days) // 8) == 0:
            parts.append(
                f'<text x="{PAD_LEFT + i * step + step / 2:.1f}" y="{HEIGHT - 8}" class="tick" '
                f'text-anchor="middle">{escape(day.day[8:10] + "." + day.day[5:7])}</text>'
            )
    parts.append(f'<polyline points="{" ".join(points)}" class="line"/>')
    parts.append("</svg>")
    return Markup("".join(parts))
