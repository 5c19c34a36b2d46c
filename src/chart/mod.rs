//! Drawing a [`Figure`] with plotters, generic over the backend: a canvas in the browser, SVG on the
//! command line. The same function draws both, so what the CLI renders is what the learner sees.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::sim::figure::{Figure, TraceStyle, XAxis};
use crate::sim::series::SeriesPoint;
use crate::sim::text::Lang;

/// Colours and sizes for one look (light or dark).
#[derive(Clone, Copy, Debug)]
pub struct Theme {
    pub background: RGBColor,
    pub text: RGBColor,
    pub axis: RGBColor,
    pub grid: RGBColor,
    pub palette: [RGBColor; 6],
    pub font: &'static str,
    /// Draw the figure's title above the plot and its legend inside it (the browser shows both in
    /// the card instead, where a legend never covers data).
    pub caption: bool,
    /// Device pixels per CSS pixel: sizes are multiplied by it so text stays readable on HiDPI.
    pub scale: f64,
}

/// A palette that stays distinguishable for the common colour-vision deficiencies (Okabe-Ito).
const OKABE_ITO: [RGBColor; 6] = [
    RGBColor(0, 114, 178),   // blue
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(230, 159, 0),   // orange
    RGBColor(213, 94, 0),    // vermillion
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(86, 180, 233),  // sky blue
];

impl Theme {
    pub fn light(scale: f64) -> Self {
        Theme {
            background: RGBColor(255, 255, 255),
            text: RGBColor(31, 41, 55),
            axis: RGBColor(107, 114, 128),
            grid: RGBColor(229, 231, 235),
            palette: OKABE_ITO,
            caption: true,
            font: "system-ui, -apple-system, 'Segoe UI', 'PingFang SC', 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif",
            scale,
        }
    }

    pub fn dark(scale: f64) -> Self {
        Theme {
            background: RGBColor(17, 24, 39),
            text: RGBColor(229, 231, 235),
            axis: RGBColor(156, 163, 175),
            grid: RGBColor(55, 65, 81),
            palette: [
                RGBColor(86, 180, 233),
                RGBColor(0, 200, 150),
                RGBColor(240, 180, 40),
                RGBColor(240, 120, 60),
                RGBColor(220, 150, 190),
                RGBColor(140, 200, 240),
            ],
            ..Theme::light(scale)
        }
    }

    fn px(&self, css: f64) -> u32 {
        (css * self.scale).round().max(1.0) as u32
    }
}

/// Draws `fig` onto `root`. Errors from the backend come back as text (the caller shows a message in
/// place of the chart; nothing panics).
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    fig: &Figure,
    lang: Lang,
    theme: &Theme,
) -> Result<(), String> {
    draw_inner(root, fig, lang, theme).map_err(|e| e.to_string())
}

fn draw_inner<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    fig: &Figure,
    lang: Lang,
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&theme.background)?;
    let x_end = fig.x_axis.value(fig.x_end.max(fig.x_last())).max(1e-9);
    let y_top = nice_top(fig.y_max());
    let font = |size: f64| {
        (theme.font, theme.px(size) as f64)
            .into_font()
            .color(&theme.text)
    };
    let axis_font = (theme.font, theme.px(12.0) as f64)
        .into_font()
        .color(&theme.axis);

    let mut builder = ChartBuilder::on(root);
    builder.margin(theme.px(10.0));
    if theme.caption {
        builder.caption(fig.title.get(lang), font(15.0));
    }
    let mut chart = builder
        .x_label_area_size(theme.px(34.0))
        .y_label_area_size(theme.px(54.0))
        .build_cartesian_2d(0f64..x_end, 0f64..y_top)?;

    let x_desc = fig.x_axis.label(lang);
    let y_desc = format!("{} ({})", fig.y_label.get(lang), fig.y_unit.get(lang));
    chart
        .configure_mesh()
        .light_line_style(theme.grid)
        .bold_line_style(theme.grid)
        .axis_style(theme.axis)
        .x_desc(x_desc)
        .y_desc(y_desc)
        .axis_desc_style(axis_font.clone())
        .label_style(axis_font)
        .x_labels(6)
        .y_labels(5)
        .x_label_formatter(&|v| fmt_tick(*v))
        .y_label_formatter(&|v| fmt_tick(*v))
        .draw()?;

    let s = fig.y_div;
    for tr in &fig.traces {
        let color = theme.palette[tr.color % theme.palette.len()];
        let mid = |p: &crate::sim::series::SeriesPoint| fig.x_axis.value(p.t0 + (p.t1 - p.t0) / 2);
        if tr.style == TraceStyle::Band && !tr.points.is_empty() {
            let mut poly: Vec<(f64, f64)> = tr.points.iter().map(|p| (mid(p), p.max / s)).collect();
            poly.extend(tr.points.iter().rev().map(|p| (mid(p), p.min / s)));
            chart.draw_series(std::iter::once(Polygon::new(
                poly,
                color.mix(0.18).filled(),
            )))?;
        }
        let stroke = ShapeStyle {
            color: color.to_rgba(),
            filled: false,
            stroke_width: theme.px(2.0),
        };
        let lines = segments(&tr.points, fig.x_axis);
        let label = if tr.style == TraceStyle::Pinned {
            let pinned = if lang == Lang::Zh {
                "固定的运行"
            } else {
                "pinned run"
            };
            format!("{} ({pinned})", tr.label.get(lang))
        } else {
            tr.label.get(lang).to_string()
        };
        let stroke = if tr.style == TraceStyle::Pinned {
            ShapeStyle {
                color: color.mix(0.55).to_rgba(),
                filled: false,
                stroke_width: theme.px(1.5),
            }
        } else {
            stroke
        };
        let legend_w = theme.px(16.0) as i32;
        let dashed = matches!(tr.style, TraceStyle::Theory | TraceStyle::Pinned);
        let n = lines.len();
        for (i, seg) in lines.into_iter().enumerate() {
            let line = seg
                .iter()
                .map(|&p| (mid(p), p.mean / s))
                .collect::<Vec<_>>();
            // A lone point (a window with empty neighbours) is drawn as a dot, not lost.
            let series = if line.len() == 1 {
                chart.draw_series(
                    line.iter()
                        .map(|&xy| Circle::new(xy, theme.px(2.5), stroke.filled())),
                )?
            } else if dashed {
                chart.draw_series(DashedLineSeries::new(
                    line,
                    theme.px(6.0),
                    theme.px(4.0),
                    stroke,
                ))?
            } else {
                chart.draw_series(LineSeries::new(line, stroke))?
            };
            // One legend entry per trace, on its last segment.
            if i + 1 == n {
                series.label(label.clone()).legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + legend_w, y)], stroke)
                });
            }
        }
    }
    if theme.caption
        && (fig.traces.len() > 1 || fig.traces.iter().any(|t| t.style == TraceStyle::Band))
    {
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(theme.background.mix(0.85))
            .border_style(theme.grid)
            .label_font(
                (theme.font, theme.px(12.0) as f64)
                    .into_font()
                    .color(&theme.text),
            )
            .draw()?;
    }
    root.present()?;
    Ok(())
}

/// A trace's points split where data is missing: a non-finite value, or on a time axis a bucket
/// that does not touch the one before (the buckets between had nothing to measure). An empty
/// window is a gap in the line, never a zero.
fn segments(points: &[SeriesPoint], axis: XAxis) -> Vec<Vec<&SeriesPoint>> {
    let mut out: Vec<Vec<&SeriesPoint>> = Vec::new();
    let mut prev: Option<&SeriesPoint> = None;
    for p in points {
        if !p.mean.is_finite() {
            prev = None;
            continue;
        }
        let joined = prev.is_some_and(|q| axis != XAxis::Time || q.t1 <= q.t0 || p.t0 <= q.t1);
        match out.last_mut() {
            Some(seg) if joined => seg.push(p),
            _ => out.push(vec![p]),
        }
        prev = Some(p);
    }
    out
}

/// A round number a little above `max`, so the top of the axis has a tidy label.
pub fn nice_top(max: f64) -> f64 {
    if max.is_nan() || max <= 0.0 || !max.is_finite() {
        return 1.0;
    }
    let mag = libm::pow(10.0, libm::floor(libm::log10(max)));
    for m in [1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0] {
        if m * mag >= max * 1.05 {
            return m * mag;
        }
    }
    10.0 * mag
}

fn fmt_tick(v: f64) -> String {
    let a = v.abs();
    if a == 0.0 {
        "0".into()
    } else if a >= 1e6 {
        format!("{:.1}M", v / 1e6)
    } else if a >= 1e4 {
        format!("{:.0}k", v / 1e3)
    } else if a >= 100.0 {
        format!("{v:.0}")
    } else if a >= 1.0 {
        let s = format!("{v:.1}");
        s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
    } else {
        // Enough decimals for two significant digits, so small ticks do not all read "0".
        let digits = (2 - libm::floor(libm::log10(a)) as i32).clamp(3, 12) as usize;
        format!("{v:.digits$}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    }
}

/// Renders a figure as an SVG document (the CLI's `render`, and tests).
pub fn to_svg(fig: &Figure, lang: Lang, width: u32, height: u32) -> Result<String, String> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (width, height)).into_drawing_area();
        draw(&root, fig, lang, &Theme::light(1.0))?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_tops_are_round_and_above_the_data() {
        assert_eq!(nice_top(0.0), 1.0);
        assert_eq!(nice_top(f64::NAN), 1.0);
        assert_eq!(nice_top(95.0), 100.0);
        assert_eq!(nice_top(101.0), 120.0);
        assert!(nice_top(0.0042) >= 0.0042 * 1.05);
    }

    #[test]
    fn ticks_read_like_a_person_wrote_them() {
        assert_eq!(fmt_tick(0.0), "0");
        assert_eq!(fmt_tick(2.0), "2");
        assert_eq!(fmt_tick(2.5), "2.5");
        assert_eq!(fmt_tick(0.25), "0.25");
        assert_eq!(fmt_tick(25_000.0), "25k");
        // A 2 ms run's time axis in seconds: ticks stay distinct.
        assert_eq!(fmt_tick(0.0004), "0.0004");
        assert_eq!(fmt_tick(0.0012), "0.0012");
    }
}
