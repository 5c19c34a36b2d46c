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
use crate::sim::figure::Figure;
use crate::sim::text::Lang;
use crate::web::dom;
use crate::web::i18n::ui;

#[function_component(Charts)]
pub fn charts(p: &StateProps) -> Html {
    let st = &p.state;
    let file_stem = format!("{}-seed{}", st.lesson.id, st.seed());
    let available: Vec<&str> = st.snap.figures.iter().map(|f| f.id).collect();
    let shown = st.lesson.shown_charts(&available);
    let figures = shown
        .iter()
        .filter_map(|id| st.snap.figures.iter().find(|f| f.id == *id));
    html! {
        <div class="charts">
            { for figures.map(|f| {
                let overlay = st.pinned.as_ref().and_then(|p| p.iter().find(|g| g.id == f.id)).map(|g| Rc::new(g.clone()));
                html! {
                    <ChartCard figure={Rc::new(f.clone())} lang={st.lang} rev={st.rev} file_stem={file_stem.clone()} {overlay} />
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
        Callback::from(move |_: MouseEvent| {
            if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                if let Ok(url) = c.to_data_url() {
                    dom::download_url(&name, &url);
                }
            }
        })
    };
    let points: usize = p.figure.traces.iter().map(|t| t.points.len()).sum();
    let title = p.figure.title.get(p.lang);
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
            if let Some(e) = &*drawn {
                <div class="field-error">{e.clone()}</div>
            }
        </figure>
    }
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
    let theme = Theme {
        caption: false,
        ..if dom::prefers_dark() {
            Theme::dark(dpr)
        } else {
            Theme::light(dpr)
        }
    };
    let canvas: HtmlCanvasElement = c.clone().unchecked_into();
    let backend =
        CanvasBackend::with_canvas_object(canvas).ok_or("this browser has no 2D canvas")?;
    let root = backend.into_drawing_area();
    chart::draw(&root, fig, lang, &theme)
}
