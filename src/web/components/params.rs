//! The parameter panel, generated from the lesson's parameter schema: a slider (linear or
//! logarithmic) with its value and unit for numbers, a select for choices. Refused values show the
//! reason beside the control; the previous value stays in force.

use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::StateDispatchProps;
use crate::lesson::LessonParam;
use crate::sim::params::{fmt_num, ParamKind, ParamValue};
use crate::sim::text::Lang;
use crate::web::i18n::ui;
use crate::web::state::Action;

/// Positions of a logarithmic slider; linear sliders use the parameter's own values and step.
const SLIDER_STEPS: f64 = 1000.0;

/// A slider's native (min, max, step) and whether its positions are mapped logarithmically.
fn slider(lp: &LessonParam) -> (f64, f64, f64) {
    let r = lp
        .range
        .unwrap_or(crate::sim::params::Range { min: 0.0, max: 1.0 });
    if lp.log {
        (0.0, SLIDER_STEPS, 1.0)
    } else {
        let step = lp
            .step
            .unwrap_or(if matches!(lp.spec.kind, ParamKind::Int { .. }) {
                1.0
            } else {
                round_sig((r.max - r.min) / 200.0, 1)
            });
        (r.min, r.max, step)
    }
}

/// Slider position for a value.
fn to_pos(lp: &LessonParam, v: f64) -> f64 {
    if !lp.log {
        return v;
    }
    let Some(r) = lp.range else { return 0.0 };
    let f = libm::log(v / r.min) / libm::log(r.max / r.min);
    (f.clamp(0.0, 1.0) * SLIDER_STEPS).round()
}

/// The value for a slider position, rounded to something a person would type.
fn from_pos(lp: &LessonParam, pos: f64) -> f64 {
    let Some(r) = lp.range else { return 0.0 };
    if !lp.log {
        return pos.clamp(r.min, r.max);
    }
    let f = (pos / SLIDER_STEPS).clamp(0.0, 1.0);
    let raw = r.min * libm::pow(r.max / r.min, f);
    let v = if matches!(lp.spec.kind, ParamKind::Int { .. }) {
        libm::round(raw)
    } else if let Some(step) = lp.step {
        libm::round(raw / step) * step
    } else {
        round_sig(raw, 3)
    };
    v.clamp(r.min, r.max)
}

/// Rounds to `digits` significant digits.
fn round_sig(x: f64, digits: i32) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let mag = libm::floor(libm::log10(x.abs())) as i32;
    let f = libm::pow(10.0, (digits - 1 - mag) as f64);
    libm::round(x * f) / f
}

fn target<T: JsCast>(e: &Event) -> Option<T> {
    e.target().and_then(|t| t.dyn_into::<T>().ok())
}

#[function_component(ParamPanel)]
pub fn param_panel(p: &StateDispatchProps) -> Html {
    let st = &p.state;
    let t = ui(st.lang);
    let params = st.params();
    let rows = st.lesson.params.iter().map(|lp| {
        let value = params.get(lp.name()).cloned().unwrap_or(lp.default.clone());
        let error = st.param_errors.get(lp.name()).cloned();
        row(lp, &value, error, st.lang, &p.dispatch)
    });
    let on_defaults = {
        let d = p.dispatch.clone();
        Callback::from(move |_| d.dispatch(Action::ResetParams))
    };
    html! {
        <section class="card params" aria-labelledby="params-title" data-region="params">
            <div class="card-head">
                <h2 id="params-title">{t.parameters}</h2>
                <button class="btn ghost small" onclick={on_defaults} data-action="defaults">{t.defaults}</button>
            </div>
            { for rows }
        </section>
    }
}

fn row(
    lp: &LessonParam,
    value: &ParamValue,
    error: Option<String>,
    lang: Lang,
    dispatch: &crate::web::app::Dispatch,
) -> Html {
    let name = lp.name().to_string();
    let id = format!("param-{name}");
    let label = lp.label.get(lang).to_string();
    let unit = lp.unit.get(lang).to_string();
    let control = match (&lp.spec.kind, value) {
        (ParamKind::Float { .. } | ParamKind::Int { .. }, ParamValue::Num(x)) => {
            let oninput = {
                let d = dispatch.clone();
                let lp = lp.clone();
                let name = name.clone();
                Callback::from(move |e: InputEvent| {
                    let Some(i) = target::<HtmlInputElement>(&e) else {
                        return;
                    };
                    if let Ok(pos) = i.value().parse::<f64>() {
                        d.dispatch(Action::SetParamValue {
                            name: name.clone(),
                            value: ParamValue::Num(from_pos(&lp, pos)),
                        });
                    }
                })
            };
            let onchange = {
                let d = dispatch.clone();
                let name = name.clone();
                Callback::from(move |e: Event| {
                    if let Some(i) = target::<HtmlInputElement>(&e) {
                        d.dispatch(Action::SetParam {
                            name: name.clone(),
                            raw: i.value(),
                        });
                    }
                })
            };
            let (min, max) = lp.range.map(|r| (r.min, r.max)).unwrap_or((0.0, 1.0));
            let (smin, smax, sstep) = slider(lp);
            html! {
                <div class="param-control">
                    <input type="range" id={id.clone()} name={name.clone()} min={fmt_num(smin)}
                        max={fmt_num(smax)} step={fmt_num(sstep)}
                        value={to_pos(lp, *x).to_string()} {oninput}
                        aria-valuetext={format!("{} {unit}", fmt_num(*x))} data-param={name.clone()} />
                    <input type="number" class="num" aria-label={label.clone()} value={fmt_num(*x)}
                        min={fmt_num(min)} max={fmt_num(max)} step="any" {onchange}
                        aria-invalid={error.is_some().to_string()} data-param-input={name.clone()} />
                    <span class="unit">{unit.clone()}</span>
                </div>
            }
        }
        (ParamKind::Choice(all), ParamValue::Choice(cur)) => {
            let onchange = {
                let d = dispatch.clone();
                let name = name.clone();
                Callback::from(move |e: Event| {
                    if let Some(s) = target::<HtmlSelectElement>(&e) {
                        d.dispatch(Action::SetParam {
                            name: name.clone(),
                            raw: s.value(),
                        });
                    }
                })
            };
            let options: Vec<(String, String)> = if lp.choices.is_empty() {
                all.iter().map(|c| (c.to_string(), c.to_string())).collect()
            } else {
                lp.choices
                    .iter()
                    .map(|(v, l)| (v.clone(), l.get(lang).to_string()))
                    .collect()
            };
            html! {
                <div class="param-control">
                    <select id={id.clone()} name={name.clone()} {onchange} data-param={name.clone()}>
                        { for options.into_iter().map(|(v, l)| html! {
                            <option value={v.clone()} selected={&v == cur}>{l}</option>
                        }) }
                    </select>
                </div>
            }
        }
        (ParamKind::Bool, ParamValue::Bool(on)) => {
            let onchange = {
                let d = dispatch.clone();
                let name = name.clone();
                Callback::from(move |e: Event| {
                    if let Some(i) = target::<HtmlInputElement>(&e) {
                        d.dispatch(Action::SetParamValue {
                            name: name.clone(),
                            value: ParamValue::Bool(i.checked()),
                        });
                    }
                })
            };
            html! {
                <div class="param-control toggle">
                    <input type="checkbox" role="switch" id={id.clone()} name={name.clone()} checked={*on}
                        {onchange} data-param={name.clone()} />
                </div>
            }
        }
        _ => html! {},
    };
    html! {
        <div class={classes!("param", error.is_some().then_some("invalid"))} data-param-row={name.clone()}>
            <label for={id}>{label}</label>
            {control}
            if let Some(e) = error {
                <div class="field-error" role="alert">{e}</div>
            }
        </div>
    }
}
