//! The lesson's charts: each figure of the snapshot drawn by the shared plotters code on a canvas,
//! with its data downloadable as CSV (the same CSV `gmplab run --csv` prints) and as PNG.

use std::rc::Rc;

use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use super::StateProps;
use crate::chart::{self, Theme};
use crate::sim::figure::{Figure, TraceStyle};
use crate::sim::text::Lang;
use crate::web::dom;
use crate::web::i18n::ui;

#[function_component(Charts)]
pub fn charts(p: &StateProps) -> Html {
    let st = &p.state;
    let file_stem = format!("{}-seed{}", st.lesson.id, st.seed());
    // What a downloaded PNG says under the chart: the lesson, every setting and the seed.
    let caption: Rc<Vec<String>> = Rc::new({
        let settings = super::embed_page::settings_in_force(&st.lesson, &st.params(), st.lang);
        let mut lines = vec![st.lesson.title.get(st.lang).to_string()];
        lines.push(
            settings
                .into_iter()
                .map(|(s, _)| s)
                .collect::<Vec<_>>()
                .join(" · "),
        );
        lines.push(format!("seed {} · GMP Lab", st.seed()));
        lines
    });
    // Before anything is played, the charts show the whole run at these settings (the preview).
    let preview = st.showing_preview().then(|| st.preview.clone()).flatten();
    let source: &[Figure] = preview
        .as_deref()
        .map(Vec::as_slice)
        .unwrap_or(&st.snap.figures);
    let available: Vec<&str> = source.iter().map(|f| f.id).collect();
    let shown = st.lesson.shown_charts(&available);
    let figures = shown
        .iter()
        .filter_map(|id| source.iter().find(|f| f.id == *id));
    let note = preview.is_some().then(|| match st.lang {
        Lang::En => "Preview: the whole run at these settings. Press Play to watch it happen, or change a setting to see it move.",
        Lang::Zh => "预览:按当前设置完整运行一次的结果。点“播放”观看过程,或改一个参数看看曲线怎么变。",
    });
    html! {
        <div class="charts" data-preview={preview.is_some().to_string()}>
            if let Some(n) = note { <p class="chart-note muted" data-testid="preview-note">{n}</p> }
            { for figures.map(|f| {
                let overlay = st.pinned.as_ref().and_then(|p| p.iter().find(|g| g.id == f.id)).map(|g| Rc::new(g.clone()));
                html! {
                    <ChartCard figure={Rc::new(f.clone())} lang={st.lang} rev={st.rev} file_stem={file_stem.clone()} {overlay}
                        caption={caption.clone()} />
                }
            }) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct ChartProps {
    pub figure: Rc<Figure>,
    pub lang: Lang,
    /// The app revision: a new one means redraw.
    pub rev: u64,
    pub file_stem: String,
    /// A pinned run's version of this figure, drawn underneath (compare mode).
    #[prop_or_default]
    pub overlay: Option<Rc<Figure>>,
    /// Lines written under the chart in a downloaded PNG (lesson, settings, seed).
    #[prop_or_default]
    pub caption: Rc<Vec<String>>,
}

/// A text summary of a figure for screen readers.
fn describe(fig: &Figure, lang: Lang) -> String {
    let unit = fig.y_unit.get(lang);
    let parts: Vec<String> = fig
        .traces
        .iter()
        .map(|t| {
            let max = t
                .points
                .iter()
                .map(|p| p.max / fig.y_div)
                .fold(0.0, f64::max);
            let last = t.points.last().map(|p| p.mean / fig.y_div).unwrap_or(0.0);
            format!(
                "{}: latest {last:.2} {unit}, peak {max:.2} {unit}",
                t.label.get(lang)
            )
        })
        .collect();
    format!("{}. {}", fig.title.get(lang), parts.join("; "))
}

#[function_component(ChartCard)]
pub fn chart_card(p: &ChartProps) -> Html {
    let canvas = use_node_ref();
    let t = ui(p.lang);
    let drawn = use_state(|| None::<String>);
    {
        let canvas = canvas.clone();
        // The CSV stays this run's data; only the picture shows the pinned run too.
        let fig = match &p.overlay {
            Some(o) => Rc::new(p.figure.overlay(o)),
            None => p.figure.clone(),
        };
        let lang = p.lang;
        let drawn = drawn.clone();
        use_effect_with((p.rev, lang, p.overlay.is_some()), move |_| {
            if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                let err = draw(&c, &fig, lang).err();
                if err != *drawn {
                    drawn.set(err);
                }
            }
        });
    }
    let on_csv = {
        let fig = p.figure.clone();
        let name = format!("{}-{}.csv", p.file_stem, p.figure.id);
        Callback::from(move |_: MouseEvent| dom::download_text(&name, &fig.to_csv(), "text/csv"))
    };
    let on_png = {
        let canvas = canvas.clone();
        let name = format!("{}-{}.png", p.file_stem, p.figure.id);
        let mut lines = vec![p.figure.title.get(p.lang).to_string()];
        lines.extend(p.caption.iter().cloned());
        Callback::from(move |_: MouseEvent| {
            if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                if let Some(url) = captioned_png(&c, &lines) {
                    dom::download_url(&name, &url);
                }
            }
        })
    };
    let points: usize = p.figure.traces.iter().map(|t| t.points.len()).sum();
    let title = p.figure.title.get(p.lang);
    let legend = legend(&p.figure, p.overlay.as_deref(), p.lang);
    html! {
        <figure class="card chart" data-chart={p.figure.id} data-points={points.to_string()}
            data-pinned={p.overlay.is_some().to_string()}>
            <figcaption class="card-head">
                <h2>{title}</h2>
                <div class="chart-actions">
                    <button class="btn ghost small" onclick={on_csv} data-download="csv"
                        aria-label={format!("{title}: {}", t.download_csv)}>{t.download_csv}</button>
                    <button class="btn ghost small" onclick={on_png} data-download="png"
                        aria-label={format!("{title}: {}", t.download_png)}>{t.download_png}</button>
                </div>
            </figcaption>
            <div class="canvas-wrap">
                <canvas ref={canvas} role="img" aria-label={describe(&p.figure, p.lang)}></canvas>
                if points == 0 {
                    <div class="chart-empty">{t.empty_chart}</div>
                }
            </div>
            {legend}
            if let Some(e) = &*drawn {
                <div class="field-error">{e.clone()}</div>
            }
        </figure>
    }
}

/// The theme the charts are drawn with, for this device.
fn theme() -> Theme {
    let dpr = dom::device_pixel_ratio();
    Theme {
        caption: false,
        ..if dom::prefers_dark() {
            Theme::dark(dpr)
        } else {
            Theme::light(dpr)
        }
    }
}

/// The legend under the chart, in HTML: it never covers data, stays sharp at any pixel density, and
/// a screen reader reads it. A swatch's shape tells traces apart beside its colour: a line, a dashed
/// line (theory, a pinned run) or a band.
fn legend(fig: &Figure, overlay: Option<&Figure>, lang: Lang) -> Html {
    let show = fig.traces.len() > 1 || fig.traces.iter().any(|t| t.style == TraceStyle::Band);
    if !show && overlay.is_none() {
        return html! {};
    }
    let palette = theme().palette;
    let pinned = if lang == Lang::Zh {
        "固定的运行"
    } else {
        "pinned run"
    };
    let mut items: Vec<(String, String, &'static str)> = Vec::new();
    for (t, pin) in fig
        .traces
        .iter()
        .map(|t| (t, false))
        .chain(overlay.into_iter().flat_map(|o| {
            o.traces
                .iter()
                .filter(|t| matches!(t.style, TraceStyle::Line | TraceStyle::Band))
                .map(|t| (t, true))
        }))
    {
        let c = palette[t.color % palette.len()];
        let colour = format!("rgb({}, {}, {})", c.0, c.1, c.2);
        let (label, shape) = if pin {
            (format!("{} ({pinned})", t.label.get(lang)), "dashed")
        } else {
            let shape = match t.style {
                TraceStyle::Band => "band",
                TraceStyle::Theory | TraceStyle::Pinned => "dashed",
                _ => "line",
            };
            (t.label.get(lang).to_string(), shape)
        };
        items.push((label, colour, shape));
    }
    html! {
        <ul class="legend" data-testid="legend">
            { for items.into_iter().map(|(label, colour, shape)| html! {
                <li><span class={classes!("swatch", shape)} style={format!("--swatch: {colour}")} aria-hidden="true"></span>{label}</li>
            }) }
        </ul>
    }
}

/// The chart with its caption written under it, as a PNG data URL: a picture pasted into slides or
/// a report still says which lesson, settings and seed made it.
fn captioned_png(chart: &HtmlCanvasElement, lines: &[String]) -> Option<String> {
    let dpr = dom::device_pixel_ratio();
    let (w, h) = (chart.width() as f64, chart.height() as f64);
    let font_px = (13.0 * dpr).round();
    let line_h = (font_px * 1.45).round();
    // Wrap by an estimate of the glyph width (no text metrics needed): long settings lines fold.
    let per_line = ((w - 2.0 * font_px) / (font_px * 0.56)).max(20.0) as usize;
    let mut wrapped: Vec<(bool, String)> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let mut cur = String::new();
        for word in l.split(' ') {
            if !cur.is_empty() && cur.chars().count() + word.chars().count() + 1 > per_line {
                wrapped.push((i == 0, std::mem::take(&mut cur)));
            }
            if !cur.is_empty() {
                cur.push(' ');
            }
            cur.push_str(word);
        }
        wrapped.push((i == 0, cur));
    }
    let cap_h = line_h * wrapped.len() as f64 + font_px;
    let doc = web_sys::window()?.document()?;
    let out: HtmlCanvasElement = doc.create_element("canvas").ok()?.dyn_into().ok()?;
    out.set_width(w as u32);
    out.set_height((h + cap_h) as u32);
    let ctx: web_sys::CanvasRenderingContext2d = out.get_context("2d").ok()??.dyn_into().ok()?;
    let dark = dom::prefers_dark();
    ctx.set_fill_style_str(if dark { "#111827" } else { "#ffffff" });
    ctx.fill_rect(0.0, 0.0, w, h + cap_h);
    ctx.draw_image_with_html_canvas_element(chart, 0.0, 0.0)
        .ok()?;
    ctx.set_fill_style_str(if dark { "#e5e7eb" } else { "#1f2937" });
    for (i, (bold, text)) in wrapped.iter().enumerate() {
        let weight = if *bold { "600 " } else { "" };
        ctx.set_font(&format!("{weight}{font_px}px system-ui, sans-serif"));
        let _ = ctx.fill_text(text, font_px, h + line_h * (i as f64 + 1.0));
    }
    out.to_data_url().ok()
}

/// Sizes the canvas to its box at the device's pixel ratio, then draws the figure on it.
fn draw(c: &HtmlCanvasElement, fig: &Figure, lang: Lang) -> Result<(), String> {
    let dpr = dom::device_pixel_ratio();
    let css_w = c.client_width().max(200) as f64;
    let css_h = c.client_height().max(160) as f64;
    let (w, h) = ((css_w * dpr).round() as u32, (css_h * dpr).round() as u32);
    if c.width() != w || c.height() != h {
        c.set_width(w);
        c.set_height(h);
    }
    let theme = theme();
    let canvas: HtmlCanvasElement = c.clone().unchecked_into();
    let backend =
        CanvasBackend::with_canvas_object(canvas).ok_or("this browser has no 2D canvas")?;
    let root = backend.into_drawing_area();
    chart::draw(&root, fig, lang, &theme)
}
